"""One set of translation checks on every path: the translation editor, machine
translation and package import; failures flagged in the status and holding back
publishing until fixed or overridden by a reviewer, with the reason in the audit log."""

import html
from urllib.parse import urlencode

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageLogEntry
from wagtail_localize.models import StringSegment, StringTranslation

from cms.review.models import MedicalApproval
from cms.translation import qa
from cms.translation.models import GlossaryTerm, QAFlag
from cms.translation.packages.export import export_locale
from cms.translation.packages.importer import PackageRejected, apply_import, plan_import
from cms.translation.status import status_rows
from tests.translation.test_package_import import fill_targets, revised

SUMMARY = "Sessions last 10–20 minutes; 4–6 sessions are usually needed."


def problems(source, target, **kwargs):
    return [(problem.check, problem.message) for problem in qa.check_segment(source, target, **kwargs)]


class TestCheckSegment:
    def test_a_faithful_translation_passes(self):
        assert problems(SUMMARY, "Les séances durent 10–20 minutes ; 4–6 séances sont nécessaires.") == []

    def test_each_check_names_itself(self):
        assert problems(SUMMARY, "Les séances durent 10–25 minutes ; 4–6 séances.")[0][0] == "numbers"
        assert problems("<b>fine</b> needles", "aiguilles fines")[0][0] == "markup"
        assert problems("Hello {name}", "Bonjour")[0][0] == "placeholders"
        assert problems("Short", "Beaucoup trop long", max_length=5)[0][0] == "length"

    def test_glossary_terms_are_checked_whole_word_and_case_blind(self):
        terms = [("dermatologist", "dermatologue")]
        assert problems("Ask a Dermatologist.", "Demandez à un Dermatologue.", terms=terms) == []
        found = problems("Ask a dermatologist.", "Demandez à un médecin.", terms=terms)
        assert found == [("glossary", "Glossary: “dermatologist” should be translated as “dermatologue”.")]
        assert problems("Ask dermatologists-in-training.", "Demandez.", terms=[("dermatologist", "x")]) == []


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example.org", "pw")


def summary_segment(clinic):
    return StringSegment.objects.get(source__object_id=clinic["procedure"].translation_key, context__path="summary")


def save_in_editor(client, url, text):
    """What the editor sends when a translator saves a segment."""
    return client.put(url, urlencode({"value": text}), content_type="application/x-www-form-urlencoded")


def edit_url(clinic, segment):
    return f"/admin/localize/translate/{clinic['translations']['fr'].pk}/strings/{segment.pk}/edit/"


@pytest.mark.django_db
class TestEveryPath:
    def test_editor_save_is_flagged_and_told_then_cleared_when_fixed(self, clinic, client, admin):
        client.force_login(admin)
        segment = summary_segment(clinic)
        response = save_in_editor(client, edit_url(clinic, segment), "Séances de 10–25 minutes.")
        assert response.status_code == 200
        assert "The numbers differ from the source" in response.json()["comment"]
        row = StringTranslation.objects.get(translation_of=segment.string, locale=clinic["fr"])
        assert row.data == "Séances de 10–25 minutes."  # the translator's work is kept
        assert [p["check"] for p in row.qa_flag.problems] == ["numbers"]

        response = save_in_editor(client, edit_url(clinic, segment), "Séances de 10–20 minutes ; 4–6 séances.")
        assert "Check:" not in (response.json()["comment"] or "")
        assert not QAFlag.objects.exists()

    def test_machine_translation_is_checked(self, clinic, client, admin):
        GlossaryTerm.objects.create(
            source_locale=clinic["en"],
            target_locale=clinic["fr"],
            source_term="needling",
            target_term="microperforation",
        )
        segment = StringSegment.objects.get(
            source__object_id=clinic["procedure"].translation_key, string__data="Needling"
        )
        StringTranslation.objects.filter(translation_of=segment.string, locale=clinic["fr"]).delete()
        client.force_login(admin)
        response = client.post(
            reverse("wagtail_localize:machine_translate", args=[clinic["translations"]["fr"].pk]), {"next": "/admin/"}
        )
        assert response.status_code == 302
        row = StringTranslation.objects.get(translation_of=segment.string, locale=clinic["fr"])
        assert row.translation_type == StringTranslation.TRANSLATION_TYPE_MACHINE
        assert row.qa_flag.messages() == ["Glossary: “needling” should be translated as “microperforation”."]

    def test_import_is_checked_with_the_glossary_and_a_failing_unit_refused(self, clinic, snapshot):
        GlossaryTerm.objects.create(
            source_locale=clinic["en"],
            target_locale=clinic["fr"],
            source_term="needling",
            target_term="microperforation",
        )
        data = fill_targets(export_locale(clinic["fr"], "xliff2").data, "xliff2", revised)
        before = snapshot()
        plan = plan_import(data)
        (rejection,) = plan.rejections
        assert rejection.reason == "Glossary: “needling” should be translated as “microperforation”."
        assert (rejection.page_title, rejection.field_path) == ("Microneedling", "steps.step.title")
        with pytest.raises(PackageRejected, match="nothing was imported"):
            apply_import(plan, publish=False)
        assert snapshot() == before
        assert not QAFlag.objects.exists()

    def test_the_glossary_is_read_once_per_import(self, clinic):
        GlossaryTerm.objects.create(
            source_locale=clinic["en"], target_locale=clinic["fr"], source_term="needling", target_term="x"
        )
        data = fill_targets(export_locale(clinic["fr"], "xliff2").data, "xliff2", revised)
        with CaptureQueriesContext(connection) as queries:
            plan_import(data)
        glossary_reads = [q for q in queries.captured_queries if GlossaryTerm._meta.db_table in q["sql"]]
        assert len(glossary_reads) == 1


def flag_summary(clinic):
    row = StringTranslation.objects.get(translation_of=summary_segment(clinic).string, locale=clinic["fr"])
    row.data = "Séances de 10–25 minutes ; 4–6 séances."
    row.save()
    return row.qa_flag


def flag_translation(clinic, name):
    from wagtail_localize.models import Translation

    return Translation.objects.get(source__object_id=clinic[name].translation_key, target_locale=clinic["fr"])


def flag_home_intro(clinic):
    row = StringTranslation.objects.get(
        translation_of__data="Welcome to the clinic.",
        locale=clinic["fr"],
        context__object_id=clinic["home"].translation_key,
    )
    row.data = "Bienvenue à la clinique, ouverte 24/7."
    row.save()
    return row.qa_flag


@pytest.mark.django_db
class TestStatusAndPublishing:
    def test_status_counts_open_flags(self, clinic):
        flag_summary(clinic)
        row = next(r for r in status_rows(locales=[clinic["fr"]]) if r.page.pk == clinic["procedure"].pk)
        assert row.status.flagged == 1
        assert row.as_dict()["segments"]["flagged"] == 1

    def test_report_shows_the_flag(self, clinic, client, admin):
        flag_summary(clinic)
        client.force_login(admin)
        html = client.get(reverse("cms_translation_status_report")).content.decode()
        assert 'data-flagged="1"' in html

    def test_publishing_waits_for_a_fix_or_a_reviewers_reason(
        self, clinic, client, admin, django_capture_on_commit_callbacks
    ):
        # The home page: a procedure's translation also waits for the medical review of its source.
        flag = flag_home_intro(clinic)
        page = clinic["home"].get_translation(clinic["fr"]).specific
        published_before = page.last_published_at
        client.force_login(admin)
        edit = reverse("wagtailadmin_pages:edit", args=[page.pk])

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(edit, {"action": "publish"}, follow=True)
        assert "cannot be published in French" in response.content.decode()
        page.refresh_from_db()
        assert page.last_published_at == published_before
        assert "24" not in page.intro

        checks = reverse("cms_translation_checks", args=[flag_translation(clinic, "home").pk])
        response = client.post(checks, {"flag": flag.pk, "reason": " "})
        assert response.status_code == 400
        flag.refresh_from_db()
        assert flag.is_open and not PageLogEntry.objects.filter(action=qa.OVERRIDE_ACTION).exists()

        client.post(checks, {"flag": flag.pk, "reason": "The clinic really is open around the clock."})
        flag.refresh_from_db()
        assert not flag.is_open and flag.overridden_by == admin
        entry = PageLogEntry.objects.get(action=qa.OVERRIDE_ACTION, page=page)
        assert entry.data["reason"] == "The clinic really is open around the clock."
        assert entry.user == admin

        with django_capture_on_commit_callbacks(execute=True):
            client.post(edit, {"action": "publish"})
        page.refresh_from_db()
        assert "24/7" in page.intro

    def test_saving_new_text_reopens_an_overridden_flag(self, clinic, admin):
        flag = qa.override(flag_summary(clinic), admin, "Fine")
        row = flag.string_translation
        row.data = "Séances de 10–30 minutes ; 4–6 séances."
        row.save()
        assert QAFlag.objects.get(pk=flag.pk).is_open

    def test_a_translator_cannot_override(self, clinic, client, django_user_model):
        from cms.translation.roles import ensure_translator_groups

        flag = flag_summary(clinic)
        translator = django_user_model.objects.create_user("théo", password="pw")
        translator.groups.add(ensure_translator_groups()["fr"])
        client.force_login(translator)
        checks = reverse("cms_translation_checks", args=[clinic["translations"]["fr"].pk])
        assert "Blocks publishing" in client.get(checks).content.decode()
        refused = client.post(checks, {"flag": flag.pk, "reason": "I like it"})
        assert (refused.status_code, refused.url) == (302, "/admin/")  # Wagtail's "permission denied"
        assert QAFlag.objects.get(pk=flag.pk).is_open


def revise_home_title(source, current):
    """A package that changes only the French home page's title."""
    return f"{source} [fr, revised]" if source == "Clinic" else current


@pytest.mark.django_db
class TestImportWithPublishing:
    def test_a_page_with_an_open_flag_is_not_published_and_nothing_changes(self, clinic, snapshot):
        flag = flag_home_intro(clinic)
        plan = plan_import(fill_targets(export_locale(clinic["fr"], "xliff2").data, "xliff2", revise_home_title))
        assert plan.ok and [change.new for change in plan.changes] == ["Clinic [fr, revised]"]
        before = snapshot()
        page = clinic["home"].get_translation(clinic["fr"])

        with pytest.raises(PackageRejected) as refused:
            apply_import(plan, publish=True)

        assert (
            "cannot be published in French: 1 translated segment(s) failed a check. intro failed the numbers check: "
            "The numbers differ" in str(refused.value)
        )
        (rejection,) = refused.value.rejections
        assert rejection.page_title == "Clinic"
        assert snapshot() == before
        assert QAFlag.objects.get(pk=flag.pk).is_open
        assert type(page).objects.get(pk=page.pk).last_published_at == page.last_published_at

    def test_the_command_says_so(self, clinic, snapshot, tmp_path):
        flag_home_intro(clinic)
        path = tmp_path / "fr.xlf"
        path.write_bytes(fill_targets(export_locale(clinic["fr"], "xliff2").data, "xliff2", revise_home_title))
        before = snapshot()
        with pytest.raises(CommandError, match="cannot be published in French.*Nothing was imported"):
            call_command("translation_import", str(path), "--publish")
        assert snapshot() == before

    @pytest.mark.parametrize("override", [False, True])
    def test_drafts_may_be_imported_and_a_reviewers_override_lets_it_publish(self, clinic, admin, override):
        flag = flag_home_intro(clinic)
        data = fill_targets(export_locale(clinic["fr"], "xliff2").data, "xliff2", revise_home_title)
        if override:
            qa.override(flag, admin, "The clinic really is open around the clock.")
        apply_import(plan_import(data), publish=override)
        page = clinic["home"].get_translation(clinic["fr"])
        assert page.title == ("Clinic [fr, revised]" if override else "Clinic [fr]")
        assert page.get_latest_revision_as_object().title == "Clinic [fr, revised]"


@pytest.fixture
def procedure_in_review(clinic, client, django_user_model, django_capture_on_commit_callbacks):
    """The French procedure page, submitted for medical review by a translator of the product's
    "Translators (fr)" group; then the translator saves a segment that fails a check.

    The English page is approved first: a translation's approval is bound to its source's."""
    from cms.review.approvals import approve
    from cms.review.workflow import ensure_review_workflow
    from cms.translation.roles import ensure_translator_groups
    from tests.editor.conftest import make_reviewer

    ensure_review_workflow()
    with django_capture_on_commit_callbacks(execute=True):
        _approval, revision = approve(clinic["procedure"], make_reviewer("reviewer-en", "en-GB"))
        revision.publish()
    translator = django_user_model.objects.create_user("théo", password="pw")
    translator.groups.add(ensure_translator_groups()["fr"])
    client.force_login(translator)
    client.post(reverse("cms_translation_submit", args=[clinic["translations"]["fr"].pk]))
    page = clinic["procedure"].get_translation(clinic["fr"]).specific
    assert page.workflow_in_progress
    reviewer = make_reviewer("reviewer-fr", "fr-FR", name="Dr Camille Martin")
    client.force_login(reviewer)
    return {"page": page, "flag": flag_summary(clinic), "reviewer": reviewer}


def page_state(page):
    page = type(page).objects.get(pk=page.pk)
    return (
        page.live_revision_id,
        page.last_published_at,
        page.revisions.count(),
        page.current_workflow_task_state.status,
        page.current_workflow_state.status,
        MedicalApproval.objects.filter(page_id=page.pk).count(),
    )


@pytest.mark.django_db
class TestReviewApproval:
    def test_approval_is_refused_while_a_flag_is_open(
        self, client, procedure_in_review, django_capture_on_commit_callbacks
    ):
        page = procedure_in_review["page"]
        before = page_state(page)
        trail = reverse("review_audit_trail", args=[page.pk])
        shown = client.get(trail).content.decode()
        assert "Approve and publish" not in shown
        assert "cannot be published in French: 1 translated segment(s) failed a check" in shown

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("review_approve", args=[page.pk]), follow=True)
        assert response.redirect_chain == [(trail, 302)]
        assert "cannot be published in French" in response.content.decode()
        assert page_state(page) == before
        assert before[3:] == ("in_progress", "in_progress", 0)

    def test_the_task_refuses_an_approval_from_code_too(self, procedure_in_review):
        from cms.review.approvals import ApprovalRefused

        page = procedure_in_review["page"]
        before = page_state(page)
        task_state = page.current_workflow_task_state.specific
        with pytest.raises(ApprovalRefused, match="cannot be published in French"):
            task_state.task.specific.on_action(task_state, procedure_in_review["reviewer"], "approve")
        assert page_state(page) == before

    def test_approve_from_the_edit_screen_is_refused(
        self, client, procedure_in_review, django_capture_on_commit_callbacks
    ):
        page = procedure_in_review["page"]
        before = page_state(page)
        edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                edit, {"action-workflow-action": "true", "workflow-action-name": "approve"}, follow=True
            )
        assert "cannot be published in French" in response.content.decode()
        assert page_state(page) == before

    @pytest.mark.parametrize("xhr", [True, False])
    def test_approve_in_the_workflow_modal_says_which_page_locale_field_and_check(
        self, client, clinic, procedure_in_review, xhr, django_capture_on_commit_callbacks
    ):
        page = procedure_in_review["page"]
        before = page_state(page)
        task_state = page.current_workflow_task_state
        url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
        headers = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"} if xhr else {}
        expected = (
            f"“{page.title}” cannot be published in French: 1 translated segment(s) failed a check. "
            "summary failed the numbers check: The numbers differ from the source: the source has 4, 6, 10, 20, "
            "the translation has 4, 6, 10, 25."
        )

        with django_capture_on_commit_callbacks(execute=True):
            if xhr:
                modal = client.get(url, **headers)
                assert modal.status_code == 200 and modal.json()["step"] == "action"
                assert expected in html.unescape(modal.json()["html"])
                checks = reverse("cms_translation_checks", args=[clinic["translations"]["fr"].pk])
                assert checks in modal.json()["html"]
                response = client.post(url, {}, **headers)
                assert response.status_code == 200 and expected in html.unescape(response.json()["html"])
            else:
                response = client.post(url, {}, follow=True)
                assert response.redirect_chain == [(reverse("wagtailadmin_pages:edit", args=[page.pk]), 302)]
                assert any(expected in str(message) for message in response.context["messages"])
        assert page_state(page) == before

    def test_the_modal_refusal_is_in_the_reviewers_language(self, client, procedure_in_review):
        from wagtail.users.models import UserProfile

        profile = UserProfile.get_for_user(procedure_in_review["reviewer"])
        profile.preferred_language = "fr"
        profile.save()
        page = procedure_in_review["page"]
        url = reverse(
            "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", page.current_workflow_task_state.pk]
        )
        shown = html.unescape(client.get(url, HTTP_X_REQUESTED_WITH="XMLHttpRequest").json()["html"])
        assert "ne peut pas être publiée en Français" in shown and "summary a échoué au contrôle « nombres »" in shown

    def test_a_flagged_home_page_is_not_approved_through_the_workflow_either(
        self, client, clinic, procedure_in_review, django_capture_on_commit_callbacks
    ):
        """A home page needs no medical sign-off, but approving publishes it: it waits for the fix too."""
        flag_home_intro(clinic)
        home = clinic["home"].get_translation(clinic["fr"]).specific
        published = home.last_published_at
        home.save_revision(user=procedure_in_review["reviewer"])
        home.get_workflow().start(home, procedure_in_review["reviewer"])
        task_state = home.current_workflow_task_state
        url = reverse("wagtailadmin_pages:workflow_action", args=[home.pk, "approve", task_state.pk])

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {}, follow=True)

        shown = [str(message) for message in response.context["messages"]]
        assert any("intro failed the numbers check" in message for message in shown), shown
        home = type(home).objects.get(pk=home.pk)
        assert (home.last_published_at, home.current_workflow_task_state.status) == (published, "in_progress")

    def test_someone_outside_the_review_group_is_told_nothing(self, client, procedure_in_review, django_user_model):
        page = procedure_in_review["page"]
        url = reverse(
            "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", page.current_workflow_task_state.pk]
        )
        client.force_login(django_user_model.objects.get(username="théo"))  # the translator who submitted it
        response = client.get(url, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
        assert response.status_code == 403 and b"numbers" not in response.content

    def test_after_a_reviewers_override_the_approval_publishes(
        self, client, admin, procedure_in_review, django_capture_on_commit_callbacks
    ):
        page = procedure_in_review["page"]
        qa.override(procedure_in_review["flag"], admin, "The clinic confirmed 10–25 minutes.")
        assert "Approve and publish" in client.get(reverse("review_audit_trail", args=[page.pk])).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("review_approve", args=[page.pk]))
        page = type(page).objects.get(pk=page.pk)
        assert page.live_revision_id == page.latest_revision_id
        assert not page.workflow_in_progress
        assert MedicalApproval.objects.filter(page_id=page.pk).exists()

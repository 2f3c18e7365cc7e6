"""Every medical page type goes live only through medical review, from the admin and from code."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision

from cms.review.gate import ReviewRequired, bypass
from cms.review.models import AuditEvent, AuditRecord, MedicalApproval
from pages.models import BenefitsPage, DeviceComparisonPage, ProcedurePage, SafetyChecklistPage
from tests.editor.forms import procedure_form
from tests.utils import device, procedure_page

from .conftest import act, fresh, submit

pytestmark = pytest.mark.django_db


def child_of(procedure, model):
    """An unpublished page of ``model`` under ``procedure`` with its required content."""
    fields = {
        BenefitsPage: {"concerns": [("concern", {"concern": "scars", "description": "Shallower scars."})]},
        SafetyChecklistPage: {
            "items": [("item", {"text": "Check", "phase": "before", "importance": "required", "rationale": "Safety."})]
        },
        DeviceComparisonPage: {"devices": [("device", {"device": device(), "remark": ""})]},
    }[model]
    name = model._meta.verbose_name
    return procedure.add_child(
        instance=model(title=f"About {name}", slug=model.__name__.lower(), summary="Summary.", live=False, **fields)
    )


def medical_pages(clinic):
    procedure = clinic.index.add_child(instance=procedure_page(live=False))
    return [
        procedure,
        *(child_of(procedure, model) for model in (BenefitsPage, DeviceComparisonPage, SafetyChecklistPage)),
    ]


def test_every_medical_page_type_refuses_a_publish_in_code_without_approval(clinic, superuser):
    for page in medical_pages(clinic):
        revision = page.save_revision(user=superuser)
        with pytest.raises(ReviewRequired, match="approval of exactly this content"):
            revision.publish(user=superuser, skip_permission_checks=True)
        assert not fresh(page).live, type(page).__name__
    assert not AuditRecord.objects.filter(event=AuditEvent.PUBLISHED).exists()


def test_no_one_has_a_plain_publish_for_any_medical_page_type(clinic, superuser, editor, reviewer):
    for page in medical_pages(clinic):
        for user in (superuser, editor, reviewer):
            assert not page.permissions_for_user(user).can_publish(), (type(page).__name__, user.username)


def test_a_superuser_publishing_in_the_admin_only_saves_a_draft(clinic, superuser, client):
    client.force_login(superuser)
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["pages", "procedurepage", clinic.index.pk]),
        procedure_form(**{"action-publish": "publish"}),
    )
    assert response.status_code == 302
    page = ProcedurePage.objects.get(slug="microneedling")
    assert not page.live and page.live_revision_id is None


def test_an_approved_page_goes_live_through_the_workflow_and_each_step_is_audited(clinic, editor, reviewer):
    page = clinic.index.add_child(instance=procedure_page(live=False))
    act(submit(page, editor), reviewer, "approve")

    page = fresh(page)
    assert page.live
    approval = MedicalApproval.objects.get(page=page)
    assert approval.revision_id == page.live_revision_id
    events = list(AuditRecord.objects.filter(page_id=page.pk).values_list("event", "actor", "market"))
    assert events == [
        (AuditEvent.SUBMITTED, "editor", "en-GB"),
        (AuditEvent.APPROVED, "reviewer", "en-GB"),
        (AuditEvent.PUBLISHED, "reviewer", "en-GB"),
    ]


def test_a_rejection_is_audited_and_nothing_goes_live(clinic, editor, reviewer):
    page = clinic.index.add_child(instance=procedure_page(live=False))
    act(submit(page, editor), reviewer, "reject", comment="Check the healing time.")
    assert not fresh(page).live
    assert AuditRecord.objects.filter(page_id=page.pk, event=AuditEvent.REJECTED, actor="reviewer").exists()


def test_scheduled_publishing_publishes_approved_content_and_holds_back_the_rest(clinic, reviewer, capsys):
    go_live = timezone.now() + datetime.timedelta(days=1)
    approved = clinic.index.add_child(instance=procedure_page(live=False, go_live_at=go_live))
    from cms.review.approvals import approve

    _approval, revision = approve(approved, reviewer)
    revision.publish()  # scheduled: approved_go_live_at is set
    unreviewed = clinic.index.add_child(instance=procedure_page(live=False, slug="other", title="Other"))
    imported = unreviewed.save_revision()
    Revision.objects.filter(pk=imported.pk).update(approved_go_live_at=go_live)  # e.g. scheduled by an import

    with mock.patch("django.utils.timezone.now", return_value=go_live + datetime.timedelta(minutes=1)):
        call_command("publish_scheduled", verbosity=0)

    assert fresh(approved).live
    assert not fresh(unreviewed).live
    assert Revision.objects.get(pk=imported.pk).approved_go_live_at is None
    assert "Not published: Other" in capsys.readouterr().err


def test_a_superuser_may_bypass_in_code_with_a_reason_which_is_logged(clinic, superuser):
    page = clinic.index.add_child(instance=procedure_page(live=False))
    revision = page.save_revision(user=superuser)

    with bypass(superuser, "Urgent safety correction agreed with Dr Ruiz by phone"):
        revision.publish(user=superuser)

    assert fresh(page).live
    record = AuditRecord.objects.get(event=AuditEvent.BYPASSED)
    assert (record.actor, record.page_id, record.revision_id) == ("admin", page.pk, revision.pk)
    assert record.details == {"reason": "Urgent safety correction agreed with Dr Ruiz by phone"}
    assert fresh(page).permissions_for_user(superuser).can_publish() is False


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_bypass_without_a_reason_is_refused_and_nothing_goes_live(clinic, superuser, reason):
    page = clinic.index.add_child(instance=procedure_page(live=False))
    revision = page.save_revision(user=superuser)
    with pytest.raises(ValueError, match="Say why"), bypass(superuser, reason):
        revision.publish(user=superuser)
    assert not fresh(page).live
    assert not AuditRecord.objects.exists()


def test_only_a_superuser_may_bypass(clinic, reviewer):
    page = clinic.index.add_child(instance=procedure_page(live=False))
    revision = page.save_revision()
    with pytest.raises(PermissionDenied), bypass(reviewer, "I am sure"):
        revision.publish()
    assert not fresh(page).live


def test_the_admin_bypass_asks_for_a_reason_and_logs_it(clinic, superuser, editor, client):
    page = clinic.index.add_child(instance=procedure_page(live=False))
    page.save_revision(user=superuser)
    url = reverse("review_bypass", args=[page.pk])

    client.force_login(editor)
    assert client.get(url).status_code in (302, 403)  # the admin turns a refusal into a redirect
    client.force_login(superuser)
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 200
    assert "This field is required" in refused.content.decode() or "Say why" in refused.content.decode()
    assert not fresh(page).live and not AuditRecord.objects.exists()

    response = client.post(url, {"reason": "Regulator-requested correction"})

    assert response.status_code == 302
    assert fresh(page).live
    record = AuditRecord.objects.get(event=AuditEvent.BYPASSED)
    assert record.details["reason"] == "Regulator-requested correction"
    assert AuditRecord.objects.filter(event=AuditEvent.PUBLISHED, page_id=page.pk).exists()


def test_publishing_a_translation_import_goes_through_the_gate(
    clinic, procedure, superuser, django_capture_on_commit_callbacks
):
    """wagtail-localize publishes a translation from code: no French approval, nothing live."""
    from wagtail_localize.models import TranslationSource

    source, _created = TranslationSource.get_or_create_from_instance(procedure)
    with pytest.raises(ReviewRequired), django_capture_on_commit_callbacks(execute=True):
        source.create_or_update_translation(clinic.french, user=superuser, publish=True, fallback=True)
    assert not ProcedurePage.objects.filter(translation_key=procedure.translation_key, locale=clinic.french, live=True)

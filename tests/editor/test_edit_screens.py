"""Edit screens as editors meet them: tabs, help texts, validation in their language."""

import re

import pytest
from django.urls import reverse

from pages.models import DeviceComparisonPage, ProcedurePage
from pages.snippets import Device
from tests.utils import procedure_page

from .conftest import make_group, make_user
from .forms import procedure_form

pytestmark = pytest.mark.django_db


def add_url(parent, model="procedurepage"):
    return reverse("wagtailadmin_pages:add", args=["pages", model, parent.pk])


def test_procedure_edit_screen_has_a_tab_per_kind_of_work(clinic, editor, client):
    client.force_login(editor)
    response = client.get(add_url(clinic.index))

    assert response.status_code == 200
    tabs = [tab.heading for tab in response.context["edit_handler"].children]
    assert [str(heading) for heading in tabs] == ["Content", "Facts", "Media", "Medical review", "SEO", "Settings"]
    facts = response.context["edit_handler"].children[1]
    assert "session_minutes_min" in facts.panel.get_form_options()["fields"]
    assert "what_it_is" not in facts.panel.get_form_options()["fields"]


def test_help_texts_give_microneedling_examples(clinic, editor, client):
    client.force_login(editor)
    html = client.get(add_url(clinic.index)).content.decode()
    assert "Collagen induction therapy" in html
    assert "numbing cream, needling, serum" in html


def test_review_fields_are_read_only_for_editors(clinic, editor, client):
    page = clinic.index.add_child(instance=procedure_page(live=False, reviewed_by="Dr Ana Ruiz"))
    client.force_login(editor)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        procedure_form(reviewed_by="Me, trust me", last_reviewed_on="2026-01-01"),
    )

    assert response.status_code == 302
    draft = ProcedurePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert draft.reviewed_by == "Dr Ana Ruiz"
    assert draft.last_reviewed_on is None


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "Durée de la séance\xa0: le minimum (20 minutes) est supérieur au maximum (10 minutes)"),
        ("en", "Session length: the minimum (20 minutes) is more than the maximum (10 minutes)"),
    ],
)
def test_range_error_appears_in_the_editors_admin_language(clinic, language, expected, client):
    editors = make_group("Editors", pages=[clinic.home], page_permissions=["add_page", "change_page"])
    client.force_login(make_user(f"editor-{language}", editors, language=language))

    response = client.post(
        add_url(clinic.index),
        procedure_form(session_minutes_min="20", session_minutes_max="10", **{"action-submit": "1"}),
    )

    assert response.status_code == 200  # the form comes back with the error
    message = response.context["form"].errors["session_minutes_min"][0]
    assert message.startswith(expected)
    assert expected.split("(")[0].strip() in response.content.decode()  # shown beside the field
    assert not ProcedurePage.objects.filter(slug="microneedling").exists()


def test_comparison_screen_shows_the_matrix_with_links_to_each_device(clinic, superuser, client):
    pen = Device.objects.create(
        name="Professional pen",
        kind="pen",
        setting="clinic",
        needle_length_min="0.5",
        needle_length_max="2.5",
        depth="deep_dermis",
        visible_results="marked",
        sterilisation="single_use",
        operated_by=["dermatologist"],
        locale=clinic.english,
    )
    roller = Device.objects.create(
        name="Home roller",
        kind="roller",
        setting="home",
        needle_length_min="0.25",
        needle_length_max="0.25",
        depth="surface",
        visible_results="subtle",
        sterilisation="user_cleaned",
        operated_by=["self"],
        locale=clinic.english,
    )
    procedure = clinic.index.add_child(instance=procedure_page())
    comparison = procedure.add_child(
        instance=DeviceComparisonPage(
            title="Pens and rollers",
            slug="devices",
            summary="Clinic pens against home rollers.",
            devices=[("device", {"device": pen, "remark": ""}), ("device", {"device": roller, "remark": ""})],
        )
    )
    client.force_login(superuser)

    html = client.get(reverse("wagtailadmin_pages:edit", args=[comparison.pk])).content.decode()

    assert "data-comparison-matrix" in html
    assert reverse("wagtailsnippets_pages_device:edit", args=[pen.pk]) in html
    assert reverse("wagtailsnippets_pages_device:edit", args=[roller.pk]) in html
    assert "0.5–2.5 mm" in html and "0.25 mm" in html
    assert "In a clinic" in html and "At home" in html


def test_a_french_editor_reads_tabs_and_help_in_french(clinic, client):
    editors = make_group("Editors", pages=[clinic.home], page_permissions=["add_page", "change_page"])
    client.force_login(make_user("redactrice", editors, language="fr"))

    response = client.get(add_url(clinic.index))

    html = response.content.decode()
    tabs = re.findall(r'role="tab"[^>]*>\s*([^<]+?)\s*<', html)
    assert tabs[0] == "Contenu"
    assert {"Relecture médicale", "Référencement"} <= set(tabs)
    assert "Chiffres (identiques dans toutes les langues)" in html

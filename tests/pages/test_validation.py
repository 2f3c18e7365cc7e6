"""Validation an editor meets: ranges, choices, review dates, image descriptions."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from pages.models import Device, HomePage, ProcedurePage
from tests.utils import build_page, procedure_page, root_page


def errors_of(instance):
    with pytest.raises(ValidationError) as caught:
        # An unsaved page has no tree position yet; everything else is checked.
        instance.full_clean(exclude=["path", "depth"])
    return caught.value.message_dict


@pytest.mark.django_db
def test_a_valid_procedure_passes():
    page = procedure_page(sessions_needed_min=4, sessions_needed_max=6, healing_days_min=3, healing_days_max=21)
    page.full_clean(exclude=["path", "depth"])


@pytest.mark.django_db
def test_range_with_minimum_above_maximum_names_the_fact_and_both_numbers():
    errors = errors_of(procedure_page(session_minutes_min=25, session_minutes_max=20))
    assert errors == {
        "session_minutes_min": [
            "Session length: the minimum (25 minutes) is more than the maximum (20 minutes). "
            "Put the smaller number first, for example 10–20 minutes."
        ]
    }


@pytest.mark.django_db
def test_range_needs_both_ends():
    errors = errors_of(procedure_page(sessions_needed_min=4, sessions_needed_max=None))
    assert "Sessions needed needs both a minimum and a maximum" in errors["sessions_needed_max"][0]


@pytest.mark.django_db
def test_zero_is_not_a_session_count():
    errors = errors_of(procedure_page(sessions_needed_min=0, sessions_needed_max=6))
    assert any(
        "more than zero" in message or "greater than or equal to 1" in message
        for message in errors["sessions_needed_min"]
    )


@pytest.mark.django_db
def test_unknown_practitioner_code_is_rejected():
    errors = errors_of(procedure_page(performed_by=["dermatologist", "barber"]))
    assert errors["performed_by"] == ["barber is not one of the choices."]


@pytest.mark.django_db
def test_review_date_cannot_be_in_the_future():
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    errors = errors_of(procedure_page(last_reviewed_on=tomorrow))
    assert errors["last_reviewed_on"] == ["The review date cannot be in the future."]


@pytest.mark.django_db
def test_device_needle_range_is_validated_in_millimetres():
    device = Device(
        name="Pen",
        kind="pen",
        setting="clinic",
        depth="deep_dermis",
        visible_results="marked",
        sterilisation="single_use",
        operated_by=["dermatologist"],
        needle_length_min=Decimal("2.5"),
        needle_length_max=Decimal("0.5"),
    )
    errors = errors_of(device)
    assert errors["needle_length_min"] == [
        "Needle length: the minimum (2.5 mm) is more than the maximum (0.5 mm). "
        "Put the smaller number first, for example 0.5–2.5 mm."
    ]


@pytest.mark.django_db
def test_bad_range_in_the_admin_shows_the_message_and_saves_nothing(admin_client):
    home = build_page(HomePage, root_page(), title="Clinic", slug="clinic")
    url = f"/admin/pages/add/pages/procedurepage/{home.pk}/"
    form = {
        "title": "Microneedling",
        "slug": "microneedling",
        "summary": "Tiny needles.",
        "what_it_is": '{"blocks":[{"key":"a","text":"A treatment.","type":"unstyled","depth":0,'
        '"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
        "performed_by": ["dermatologist"],
        "session_minutes_min": "30",
        "session_minutes_max": "20",
        "steps-count": "0",
        "sources-count": "0",
    }
    response = admin_client.post(url, form)
    assert response.status_code == 200
    assert "the minimum (30 minutes) is more than the maximum (20 minutes)" in response.content.decode()
    assert not ProcedurePage.objects.filter(slug="microneedling").exists()


@pytest.mark.django_db
def test_messages_follow_the_editors_language():
    with translation.override("fr"):
        errors = errors_of(procedure_page(session_minutes_min=25, session_minutes_max=20))
    assert errors["session_minutes_min"] == [
        "Durée de la séance\xa0: le minimum (25 minutes) est supérieur au maximum (20 minutes). "
        "Indiquez d’abord le plus petit nombre, par exemple 10 à 20 minutes."
    ]

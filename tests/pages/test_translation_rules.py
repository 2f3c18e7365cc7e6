"""What translators translate and what stays the same in every locale."""

import pytest
from wagtail_localize.fields import SynchronizedField, TranslatableField, get_translatable_fields

from pages.models import (
    BenefitsPage,
    Device,
    DeviceComparisonPage,
    ProcedurePage,
    SafetyChecklistPage,
)


def kinds(model):
    return {field.field_name: type(field) for field in get_translatable_fields(model)}


@pytest.mark.parametrize(
    "model, translated, synchronised",
    [
        (
            ProcedurePage,
            {
                "title",
                "summary",
                "hero_image_alt",
                "also_known_as",
                "what_it_is",
                "how_it_works",
                "steps",
                "suitable_for",
                "sources",
            },
            {
                "hero_image",
                "reviewed_by",
                "last_reviewed_on",
                "session_minutes_min",
                "session_minutes_max",
                "sessions_needed_min",
                "sessions_needed_max",
                "healing_days_min",
                "healing_days_max",
                "performed_by",
            },
        ),
        (BenefitsPage, {"concerns", "summary"}, {"reviewed_by", "last_reviewed_on", "hero_image"}),
        (DeviceComparisonPage, {"devices", "summary"}, {"compared_attributes", "reviewed_by", "last_reviewed_on"}),
        (SafetyChecklistPage, {"items", "summary"}, {"reviewed_by", "last_reviewed_on"}),
        (
            Device,
            {"name", "summary", "risks"},
            {
                "kind",
                "setting",
                "needle_length_min",
                "needle_length_max",
                "depth",
                "visible_results",
                "downtime_days_min",
                "downtime_days_max",
                "sterilisation",
                "operated_by",
            },
        ),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_prose_is_translated_and_facts_are_synchronised(model, translated, synchronised):
    found = kinds(model)
    assert {name for name in translated if found.get(name) is not TranslatableField} == set()
    assert {name for name in synchronised if found.get(name) is not SynchronizedField} == set()


def test_review_fields_cannot_be_overridden_in_a_translation():
    review = [field for field in get_translatable_fields(ProcedurePage) if field.field_name == "reviewed_by"]
    assert review and not review[0].overridable

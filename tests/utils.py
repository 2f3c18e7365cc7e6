"""Small builders shared by the test suite."""

from wagtail.models import Locale, Page

from pages.demo.loader import demo_key
from pages.models import ProcedurePage
from pages.snippets import Device


def root_page():
    return Page.get_first_root_node()


def demo_page(key, language_code="en"):
    """The demo page with the given demo key (e.g. "microneedling") in one locale."""
    return Page.objects.get(
        translation_key=demo_key(key), locale=Locale.objects.get(language_code=language_code)
    ).specific


def publish_reviewed(page):
    """Save ``page`` and publish it approved by the demo's reviewer of its market (demo content only)."""
    from django.contrib.auth import get_user_model

    from cms.review.approvals import approve
    from pages.demo.accounts import REVIEWERS

    username = next(row[0] for row in REVIEWERS if row[-1] == page.locale.market.code)
    page.save_revision()
    _approval, revision = approve(page, get_user_model().objects.get(username=username))
    revision.publish()
    page.refresh_from_db()
    return page


def build_page(model, parent, **fields):
    """Create and publish a page of ``model`` under ``parent`` with sensible defaults."""
    fields.setdefault("title", f"Test {model.__name__}")
    fields.setdefault("slug", fields["title"].lower().replace(" ", "-"))
    page = model(**fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


# Every page type of the product; the demo has at least one page of each.
PAGE_TYPE_NAMES = frozenset(
    {"HomePage", "ProcedureIndexPage", "ProcedurePage", "BenefitsPage", "DeviceComparisonPage", "SafetyChecklistPage"}
)


def procedure_page(**overrides):
    """An unsaved microneedling procedure page with its facts."""
    fields = {
        "title": "Microneedling",
        "slug": "microneedling",
        "summary": "Microneedling uses tiny needles to prompt the skin to make new collagen.",
        "what_it_is": "<p>A minimally invasive treatment that makes tiny punctures in the skin.</p>",
        "session_minutes_min": 10,
        "session_minutes_max": 20,
        "sessions_needed_min": 4,
        "sessions_needed_max": 6,
        "healing_days_min": 2,
        "healing_days_max": 21,
        "performed_by": ["dermatologist", "aesthetician"],
    }
    fields.update(overrides)
    return ProcedurePage(**fields)


def device(name="Clinic pen", **fields):
    """A saved microneedling device snippet (in the default locale unless ``locale`` is given)."""
    values = {
        "kind": "pen",
        "setting": "clinic",
        "depth": "upper_dermis",
        "visible_results": "moderate",
        "sterilisation": "single_use",
        "operated_by": ["dermatologist"],
        "needle_length_min": "0.5",
        "needle_length_max": "2.5",
        "downtime_days_min": 1,
        "downtime_days_max": 3,
        "risks": "Redness for a few days.",
    }
    values.update(fields)
    if "locale" not in values:
        values["locale"] = Locale.get_default()
    return Device.objects.create(name=name, **values)

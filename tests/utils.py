"""Small builders shared by the test suite."""

from wagtail.models import Locale, Page

from pages.demo.loader import demo_key


def root_page():
    return Page.get_first_root_node()


def demo_page(key, language_code="en"):
    """The demo page with the given demo key (e.g. "microneedling") in one locale."""
    return Page.objects.get(
        translation_key=demo_key(key), locale=Locale.objects.get(language_code=language_code)
    ).specific


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

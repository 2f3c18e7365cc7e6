"""Importing as drafts never damages a live page (run on SQLite and, in CI, PostgreSQL).

A live French page keeps its live revision, publication dates and live content, in the
database and in the public API, and gets a draft revision holding the import for review.
A never-published page gets its draft and stays unpublished.
"""

import pytest
from wagtail.models import Page, Revision, Site

from cms.translation.packages.drafts import save_draft
from cms.translation.packages.export import export_locale
from cms.translation.packages.importer import apply_import, plan_import
from tests.translation.cat_tools import fill_targets

LIVE_FIELDS = ("live", "live_revision_id", "last_published_at", "first_published_at", "title", "url_path", "slug")


def revised(source, current):
    return f"{source} [fr, revised]"


def page_row(page):
    return Page.objects.filter(pk=page.pk).values(*LIVE_FIELDS).get()


@pytest.fixture
def fr_page(clinic):
    site = Site.objects.get(is_default_site=True)
    site.root_page = clinic["home"]  # so that the API serves the clinic
    site.save()
    page = clinic["procedure"].get_translation(clinic["fr"])
    # The fixture published through wagtail-localize's on-commit callback; dates and revision are set.
    assert page.live and page.live_revision_id and page.last_published_at and page.first_published_at
    return page


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xliff2", "po"])
def test_a_live_page_keeps_its_live_revision_dates_and_content(clinic, fr_page, client, fmt):
    before = page_row(fr_page)
    live_api = client.get(f"/api/v1/pages/{fr_page.translation_key}/?locale=fr").json()
    revisions = Revision.objects.filter(object_id=str(fr_page.pk)).count()

    plan = plan_import(fill_targets(export_locale(clinic["fr"], fmt).data, fmt, revised))
    assert plan.ok and plan.changes
    apply_import(plan, publish=False)

    assert page_row(fr_page) == before
    page = Page.objects.get(pk=fr_page.pk).specific
    assert page.also_known_as == "Collagen induction therapy [fr]"  # the live content, in the row visitors read
    assert page.has_unpublished_changes
    draft = page.get_latest_revision_as_object()
    assert draft.also_known_as == "Collagen induction therapy [fr, revised]"
    assert Revision.objects.filter(object_id=str(fr_page.pk)).count() == revisions + 1
    assert page.latest_revision_id != page.live_revision_id

    served = client.get(f"/api/v1/pages/{fr_page.translation_key}/?locale=fr").json()
    # meta.revision counts the page's publishes: a draft import adds none.
    assert served["meta"]["revision"] == live_api["meta"]["revision"] is not None
    assert served["meta"]["last_published_at"] == live_api["meta"]["last_published_at"] is not None
    assert served["content"] == live_api["content"]
    assert served["content"]["also_known_as"] == "Collagen induction therapy [fr]"


@pytest.mark.django_db
def test_a_never_published_page_gets_a_draft_and_stays_unpublished(clinic, fr_page):
    Page.objects.filter(pk=fr_page.pk).update(
        live=False, live_revision=None, last_published_at=None, first_published_at=None
    )
    plan = plan_import(fill_targets(export_locale(clinic["fr"], "po").data, "po", revised))
    apply_import(plan, publish=False)

    page = Page.objects.get(pk=fr_page.pk).specific
    assert (page.live, page.live_revision_id, page.last_published_at, page.first_published_at) == (
        False,
        None,
        None,
        None,
    )
    assert page.get_latest_revision_as_object().also_known_as == "Collagen induction therapy [fr, revised]"


@pytest.mark.django_db
def test_save_draft_pins_what_it_relies_on_from_wagtail_localize(clinic, fr_page):
    """get_ephemeral_translated_instance + save_revision: a revision with the translation, the row untouched."""
    translation = clinic["translations"]["fr"]
    from wagtail_localize.models import StringTranslation

    StringTranslation.objects.filter(locale=clinic["fr"], translation_of__data="Needling").update(data="Aiguilletage")
    before = page_row(fr_page)
    revision = save_draft(translation)
    assert revision is not None and revision.as_object().steps[1].value["title"] == "Aiguilletage"
    assert page_row(fr_page) == before
    assert Page.objects.get(pk=fr_page.pk).latest_revision_id == revision.pk

"""Purging old revisions never changes what the API serves behind the cache's back."""

from django.core.management import call_command
from wagtail.management.commands.purge_revisions import purge_revisions as wagtail_purge_revisions
from wagtail.models import Page, Revision

from .conftest import build_site, publish


def live_with_newer_drafts(site):
    page = site.procedure
    for summary in ("Older published text.", "Published text."):
        page.summary = summary
        publish(page)
    page = Page.objects.get(pk=page.pk).specific
    page.summary = "A draft waiting for review."
    page.save_revision()
    return page


def test_purge_revisions_keeps_the_revision_each_live_page_serves(db, api):
    site = build_site(with_french=False)
    page = live_with_newer_drafts(site)
    url = f"/api/v1/pages/{page.translation_key}/"
    live_revision_id = page.live_revision_id
    before = api.get(url).json()["meta"]["revision"]
    assert before == 3  # published three times
    revisions = Revision.objects.for_instance(page).count()
    call_command("purge_revisions", verbosity=0)
    page.refresh_from_db()
    assert page.live_revision_id == live_revision_id  # kept
    assert Revision.objects.for_instance(page).count() < revisions  # older ones went
    assert Revision.objects.filter(pk=page.latest_revision_id).exists()  # the draft stays
    answer = api.get(url)
    assert answer.json()["meta"]["revision"] == before
    assert answer.json()["content"]["summary"] == "Published text."


def test_a_live_revision_deleted_by_wagtails_own_purge_is_not_served_from_the_cache(
    db, api, django_capture_on_commit_callbacks
):
    site = build_site(with_french=False)
    page = live_with_newer_drafts(site)
    url = f"/api/v1/pages/{page.translation_key}/"
    assert api.get(url).json()["meta"]["revision"] == 3
    assert api.get(url)["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        wagtail_purge_revisions()  # deletes every revision but the latest, the live one included
    page.refresh_from_db()
    assert page.live_revision_id is None
    answer = api.get(url)
    assert answer["X-Cache"] == "miss"
    # Rendered again from the database, and the page's revision number does not depend on the row.
    assert answer.json()["meta"]["revision"] == 3

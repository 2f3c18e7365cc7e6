"""Every publish, unpublish, move and delete leaves a change row, in the same transaction."""

import pytest
from django.db import transaction
from wagtail.signals import page_published

from cms.delivery.models import ChangeEvent, ContentChange

from .conftest import add_page, publish, translate

pytestmark = pytest.mark.django_db


def rows(after=0, **filters):
    changes = ContentChange.objects.filter(id__gt=after, **filters).order_by("id")
    return list(changes.values_list("event", "locale", "page_id"))


def last_change():
    return ContentChange.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_publishing_records_the_page_its_revision_and_public_path(treatments):
    row = ContentChange.objects.filter(page_id=treatments.pk).get()
    assert row.event == ChangeEvent.PUBLISHED
    assert (row.key, row.locale, row.page_type) == (treatments.translation_key, "en", "pages.ProcedureIndexPage")
    assert row.revision_id == treatments.live_revision_id
    assert row.path == "/en/treatments/"


def test_publishing_a_translation_is_its_own_event(treatments, locales):
    french = translate(treatments, locales["fr"])
    events = rows(page_id=french.pk)
    assert events == [(ChangeEvent.TRANSLATION_PUBLISHED, "fr", french.pk)]


def test_unpublishing_also_records_the_live_pages_it_hides(treatments):
    child = add_page(treatments, "Microneedling", "microneedling")
    draft = add_page(treatments, "Peels", "peels", live=False)
    since = last_change()

    treatments.unpublish()

    assert rows(since) == [(ChangeEvent.UNPUBLISHED, "en", treatments.pk), (ChangeEvent.UNPUBLISHED, "en", child.pk)]
    assert not rows(page_id=draft.pk)


def test_republishing_brings_back_the_children_it_had_hidden(treatments):
    child = add_page(treatments, "Microneedling", "microneedling")
    treatments.unpublish()
    since = last_change()

    publish(treatments)

    assert rows(since) == [(ChangeEvent.PUBLISHED, "en", treatments.pk), (ChangeEvent.PUBLISHED, "en", child.pk)]


def test_a_new_slug_records_the_children_whose_paths_moved(treatments):
    child = add_page(treatments, "Microneedling", "microneedling")
    since = last_change()

    treatments.slug = "procedures"
    publish(treatments)

    assert rows(since) == [(ChangeEvent.PUBLISHED, "en", treatments.pk), (ChangeEvent.MOVED, "en", child.pk)]
    assert ContentChange.objects.filter(page_id=child.pk).latest("id").path == "/en/procedures/microneedling/"


def test_moving_records_the_page_and_its_subtree(home, treatments):
    child = add_page(treatments, "Microneedling", "microneedling")
    other = add_page(home, "Skin", "skin")
    since = last_change()

    treatments.move(other, pos="last-child")

    assert rows(since) == [(ChangeEvent.MOVED, "en", treatments.pk), (ChangeEvent.MOVED, "en", child.pk)]
    assert ContentChange.objects.filter(page_id=child.pk).latest("id").path == "/en/skin/treatments/microneedling/"


def test_deleting_records_every_live_page_removed_but_not_drafts(treatments):
    child = add_page(treatments, "Microneedling", "microneedling")
    draft = add_page(treatments, "Peels", "peels", live=False)
    key = treatments.translation_key
    since = last_change()

    treatments.delete()

    assert sorted(rows(since)) == sorted(
        [(ChangeEvent.DELETED, "en", treatments.pk), (ChangeEvent.DELETED, "en", child.pk)]
    )
    tombstone = ContentChange.objects.filter(page_id=treatments.pk).latest("id")
    assert (tombstone.key, tombstone.path, tombstone.revision_id) == (key, "/en/treatments/", None)
    assert not rows(page_id=draft.pk)


def test_a_publish_that_fails_leaves_neither_the_change_nor_its_row(treatments):
    """The row commits with the change: if anything later in the publish fails, both go."""
    since = last_change()
    treatments.title = "Treatments and prices"
    revision = treatments.save_revision()

    def break_publishing(sender, instance, **kwargs):
        raise RuntimeError("disk full")

    page_published.connect(break_publishing)
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            revision.publish()
    finally:
        page_published.disconnect(break_publishing)

    treatments.refresh_from_db()
    assert treatments.title == "Treatments"
    assert treatments.live_revision_id != revision.pk
    assert not rows(since)


def test_wagtail_publish_is_atomic_on_its_own(treatments):
    """Without an outer transaction, a failing receiver still rolls the publish back."""
    since = last_change()
    treatments.title = "Treatments and prices"
    revision = treatments.save_revision()

    def break_publishing(sender, instance, **kwargs):
        raise RuntimeError("disk full")

    page_published.connect(break_publishing)
    try:
        with pytest.raises(RuntimeError):
            revision.publish()
    finally:
        page_published.disconnect(break_publishing)

    treatments.refresh_from_db()
    assert treatments.live_revision_id != revision.pk
    assert not rows(since)


# --- Changes without a publish ------------------------------------------------------------


def test_a_view_restriction_is_recorded_as_an_unpublish_of_the_subtree_and_lifting_it_as_a_publish(treatments):
    from wagtail.models import PageViewRestriction

    child = add_page(treatments, "Microneedling", "microneedling")
    since = last_change()

    restriction = PageViewRestriction.objects.create(
        page=treatments, restriction_type=PageViewRestriction.PASSWORD, password="staff"
    )
    assert rows(since) == [(ChangeEvent.UNPUBLISHED, "en", treatments.pk), (ChangeEvent.UNPUBLISHED, "en", child.pk)]

    since = last_change()
    restriction.delete()
    assert rows(since) == [(ChangeEvent.PUBLISHED, "en", treatments.pk), (ChangeEvent.PUBLISHED, "en", child.pk)]


def test_editing_a_device_records_every_comparison_page_that_shows_it(demo):
    from pages.models import ClinicPage, Device, DeviceComparisonPage

    device = Device.objects.get(locale__language_code="en", name__icontains="pen")
    since = last_change()

    device.needle_length_max = 2
    device.save()

    comparisons = set(DeviceComparisonPage.objects.live().values_list("pk", flat=True))
    assert len(comparisons) == 4, "the demo compares devices in en, fr, de and es"
    # The clinics that offer the pen show it too: Madrid (es, en) and London (en).
    offering = {
        page.pk
        for page in ClinicPage.objects.live()
        if device.translation_key in {block.value["device"].translation_key for block in page.devices}
    }
    assert len(offering) == 3
    assert {page_id for _event, _locale, page_id in rows(since)} == comparisons | offering
    assert {event for event, _locale, _page_id in rows(since)} == {ChangeEvent.PUBLISHED}

"""manage.py prune: old rows go, the sync feed answers a pruned-past cursor with 410,
and a bad age is refused with nothing deleted."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Max
from django.utils import timezone

from cms.api.models import Invalidation, TagState
from cms.delivery.bundles import export_bundle
from cms.delivery.models import ContentChange, DeliveryStatus, FeedPrune, WebhookDelivery, WebhookEndpoint

from .conftest import add_page, publish
from .test_sync import URL, drain, sync

pytestmark = pytest.mark.django_db
# On PostgreSQL, prune removes only rows of finished transactions: tests whose rows must
# go commit them (a transactional test) instead of holding them in the test's transaction.
committed = pytest.mark.django_db(transaction=True)


def prune(*args):
    out = io.StringIO()
    call_command("prune", *args, stdout=out)
    return out.getvalue()


def backdate(days, up_to_id=None):
    """Make the change rows (up to ``up_to_id``) and the invalidation log ``days`` old."""
    moment = timezone.now() - timedelta(days=days)
    changes = ContentChange.objects.all()
    if up_to_id is not None:
        changes = changes.filter(id__lte=up_to_id)
    changes.update(changed_at=moment)
    Invalidation.objects.update(created_at=moment)
    TagState.objects.update(changed_at=moment)


def last_change_id():
    return ContentChange.objects.order_by("-id").values_list("id", flat=True).first()


def counts():
    return (
        ContentChange.objects.count(),
        WebhookDelivery.objects.count(),
        Invalidation.objects.count(),
        TagState.objects.count(),
        FeedPrune.objects.count(),
    )


@committed
def test_a_cursor_older_than_the_changes_kept_gets_410_and_a_recent_one_misses_nothing(client, export_key, treatments):
    microneedling = add_page(treatments, "Microneedling", "microneedling")
    _answers, old_cursor = drain(client, export_key, "en")
    microneedling.title = "Microneedling, first edit"
    publish(microneedling)
    _answers, recent_cursor = drain(client, export_key, "en")
    backdate(100, up_to_id=last_change_id())  # everything so far is 100 days old
    microneedling.title = "Microneedling, second edit"
    publish(microneedling)

    assert "Removed " in prune("--changes-older-than", "90d")
    assert ContentChange.objects.filter(changed_at__lt=timezone.now() - timedelta(days=90)).count() == 0
    assert ContentChange.objects.count() >= 1  # the recent change stays

    gone = client.get(URL, {"locale": "en", "cursor": old_cursor}, **export_key)
    assert gone.status_code == 410
    assert gone["Content-Type"] == "application/problem+json"
    problem = json.loads(gone.content)
    assert problem["type"].endswith("/cursor_expired") and problem["status"] == 410
    assert "full sync" in problem["detail"]

    recent = sync(client, export_key, locale="en", cursor=recent_cursor)
    assert [page["title"] for page in recent["upserts"]] == ["Microneedling, second edit"]
    # Starting again works, and its cursor is honoured.
    _answers, fresh = drain(client, export_key, "en")
    assert sync(client, export_key, locale="en", cursor=fresh)["upserts"] == []


@committed
def test_a_full_sync_begun_before_the_pruned_changes_must_start_again(client, export_key, treatments):
    add_page(treatments, "Microneedling", "microneedling")
    first = sync(client, export_key, locale="en", limit=1)
    assert first["has_more"] and first["cursor"].startswith("full.")
    publish(treatments)
    backdate(100)
    prune("--changes-older-than", "90d")
    assert client.get(URL, {"locale": "en", "cursor": first["cursor"]}, **export_key).status_code == 410


def test_changes_within_the_promised_cursor_life_are_never_removed(treatments, settings):
    backdate(40)
    before = counts()
    with pytest.raises(CommandError, match="SYNC_CURSOR_MIN_DAYS"):
        prune("--changes-older-than", "10d")
    settings.SYNC_CURSOR_MIN_DAYS = 60
    with pytest.raises(CommandError, match="60 days"):
        prune("--changes-older-than", "45d")
    assert counts() == before


@pytest.mark.parametrize(
    "args, message",
    [
        (["--changes-older-than", "0d"], "more than zero"),
        (["--changes-older-than=-90d"], "more than zero"),
        (["--changes-older-than", "90"], "whole number of days"),
        (["--changes-older-than", "ninety days"], "whole number of days"),
        (["--changes-older-than", "1.5d"], "whole number of days"),
        (["--changes-older-than", ""], "whole number of days"),
        (["--deliveries-older-than", "30d", "--changes-older-than", "0w"], "--changes-older-than '0w'"),
        (["--invalidations-older-than", "12h"], "at least 1 day"),
        ([], "Name at least one"),
    ],
)
def test_a_bad_age_is_refused_with_nothing_deleted(treatments, args, message):
    backdate(400)
    endpoint = WebhookEndpoint.objects.create(name="Site", url="https://hooks.example.com/", events=["page.published"])
    WebhookDelivery.objects.create(
        endpoint=endpoint,
        event="page.published",
        key=treatments.translation_key,
        locale="en",
        body="{}",
        status=DeliveryStatus.DELIVERED,
        created_at=timezone.now() - timedelta(days=400),
    )
    before = counts()
    with pytest.raises(CommandError, match=message) as refused:
        prune(*args)
    assert counts() == before
    if args:
        assert "nothing was deleted" in str(refused.value)


def test_only_finished_deliveries_older_than_the_age_are_removed(treatments):
    endpoint = WebhookEndpoint.objects.create(name="Site", url="https://hooks.example.com/", events=["page.published"])
    old, recent = timezone.now() - timedelta(days=45), timezone.now() - timedelta(days=2)
    for status in DeliveryStatus.values:
        for created_at in (old, recent):
            WebhookDelivery.objects.create(
                endpoint=endpoint,
                event="page.published",
                key=treatments.translation_key,
                locale="en",
                body="{}",
                status=status,
                created_at=created_at,
            )
    output = prune("--deliveries-older-than", "30d")
    assert output.startswith("Removed 2 webhook deliveries")
    kept = set(WebhookDelivery.objects.values_list("status", "created_at"))
    assert kept == {(s, recent) for s in DeliveryStatus.values} | {
        (DeliveryStatus.PENDING, old),
        (DeliveryStatus.RETRYING, old),
    }


@committed
def test_the_invalidation_log_is_trimmed_and_each_tags_latest_time_kept(client, treatments):
    microneedling = add_page(treatments, "Microneedling", "microneedling")
    publish(microneedling)
    backdate(10)
    latest = dict(TagState.objects.values_list("tag").annotate(at=Max("changed_at")).order_by())
    assert Invalidation.objects.exists() and TagState.objects.count() > len(latest)

    prune("--invalidations-older-than", "7d")
    assert not Invalidation.objects.exists()
    assert dict(TagState.objects.values_list("tag", "changed_at")) == latest
    assert client.get(f"/api/v1/pages/{microneedling.translation_key}/").status_code == 200


def test_a_dry_run_removes_nothing(treatments):
    backdate(400)
    before = counts()
    output = prune("--changes-older-than", "90d", "--invalidations-older-than", "7d", "--dry-run")
    assert output.startswith("Would remove ") and "dry run" in output
    assert counts() == before


@committed
def test_an_incremental_bundle_older_than_the_kept_changes_is_rendered_in_full(treatments, tmp_path):
    add_page(treatments, "Microneedling", "microneedling")
    out = tmp_path / "bundle"
    export_bundle(out, ["en"])
    assert export_bundle(out, ["en"], incremental=True).reused > 0  # nothing changed: reused
    publish(treatments)
    backdate(100)
    prune("--changes-older-than", "90d")
    summary = export_bundle(out, ["en"], incremental=True)
    assert summary.reused == 0 and summary.rendered > 0

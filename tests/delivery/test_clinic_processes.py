"""Library changes reaching clinics across real processes.

A demo database of its own, gunicorn with two workers serving it, and ``manage.py
shell`` publishing the library's safety checklist (which only Madrid shows) while the
test reads Madrid's and London's sync feeds through the server. The shell's own
process sends the webhooks (in-process tasks) to receivers listening here, and
``manage.py clinic_status`` runs as a command of its own.
"""

import json
import time
from urllib.parse import urlencode

import pytest

from tests.processes import demo_database, start_server

from .conftest import Receiver

SETUP = """
import json
from cms.api.models import ApiKey
from cms.delivery.models import ChangeEvent, WebhookEndpoint
from pages.models import Clinic
hub_key, hub_raw = ApiKey.objects.create_key(name="Hub app", scopes=["export"])
madrid = Clinic.objects.get(slug="madrid").site
london = Clinic.objects.get(slug="london").site
madrid_key, madrid_raw = ApiKey.objects.create_key(name="Madrid app", scopes=["export"])
madrid_key.site = madrid
madrid_key.save()
events = [event for event, _label in ChangeEvent.choices]
for name, site, url in (("Madrid app", madrid, {madrid_url!r}), ("London app", london, {london_url!r})):
    WebhookEndpoint.objects.create(name=name, url=url, events=events, locales=[], site=site)
print(json.dumps({{"hub": hub_raw, "madrid": madrid_raw}}))
"""
PUBLISH_SAFETY = """
import json, time
from wagtail.models import Page
from pages.demo.loader import demo_key
from tests.utils import publish_reviewed
page = Page.objects.get(translation_key=demo_key("microneedling-safety"), locale__language_code="en").specific
time.sleep(0.5)  # the feeds are being read meanwhile
page.summary = {summary!r}
publish_reviewed(page)
print(json.dumps({{"committed": time.time()}}))
"""


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """The demo on a server of its own, with keys and clinic webhook endpoints made by a shell."""
    receivers = {"madrid": Receiver(), "london": Receiver()}
    database = demo_database(tmp_path_factory.mktemp("clinics"), extra_env={"WEBHOOK_ALLOWED_HOSTS": "127.0.0.1"})
    server = start_server(database, "gunicorn", tmp_path_factory.mktemp("logs"))
    keys = database.shell(SETUP.format(madrid_url=receivers["madrid"].url, london_url=receivers["london"].url))
    yield database, server, keys, receivers
    server.stop()
    for receiver in receivers.values():
        receiver.close()
    if database.drop:
        database.drop()


def read_feed(server, key, cursor=None, **params):
    """Drain a feed from ``cursor``: (upserts, tombstones, last cursor)."""
    upserts, tombstones = [], []
    while True:
        query = urlencode({**params, **({"cursor": cursor} if cursor else {})})
        status, body = server.json(f"/api/v1/sync/?{query}", Authorization=f"Api-Key {key}")
        assert status == 200, body
        upserts += body["upserts"]
        tombstones += body["tombstones"]
        cursor = body["cursor"]
        if not body["has_more"]:
            return upserts, tombstones, cursor


def test_a_library_publish_in_another_process_reaches_the_feeds_webhooks_and_status_of_the_clinics_showing_it(hub):
    database, server, keys, receivers = hub
    madrid_safety = database.shell(
        "import json\nfrom pages.demo.loader import demo_key\nprint(json.dumps(str(demo_key('clinic-madrid-safety'))))"
    )
    _upserts, _tombs, madrid_cursor = read_feed(server, keys["madrid"], locale="en")
    _upserts, _tombs, london_cursor = read_feed(server, keys["hub"], site="london", locale="en")
    _upserts, _tombs, spanish_cursor = read_feed(server, keys["madrid"], locale="es")

    summary = f"Check the skin before every session ({server.port})."
    shell = database.start_shell(PUBLISH_SAFETY.format(summary=summary))
    seen = []  # Madrid's feed, read again and again while the other process publishes
    while shell.poll() is None:
        seen.append(read_feed(server, keys["madrid"], madrid_cursor, locale="en")[:2])
        time.sleep(0.05)
    out, err = shell.communicate()
    assert shell.returncode == 0, err
    committed = json.loads(out.strip().splitlines()[-1])["committed"]
    time.sleep(max(0.0, committed + 1.0 - time.time()))

    upserts, tombstones, _cursor = read_feed(server, keys["madrid"], madrid_cursor, locale="en")
    assert tombstones == [] and [page["key"] for page in upserts] == [madrid_safety]
    assert upserts[0]["content"]["summary"] == summary and upserts[0]["clinic"]["site"] == "madrid"
    # While it published, the feed held nothing or the whole change: never a tombstone, never old text.
    assert len(seen) >= 3
    for partial_upserts, partial_tombstones in seen:
        assert partial_tombstones == []
        assert all(page["content"]["summary"] == summary for page in partial_upserts)
    # The feed's page is the detail every worker serves.
    for _ in range(6):
        status, detail = server.json(
            f"/api/v1/pages/{madrid_safety}/?locale=en", Authorization=f"Api-Key {keys['madrid']}"
        )
        assert status == 200 and detail == upserts[0]
    # London shows no safety page; Madrid's Spanish page shows the Spanish library page.
    assert read_feed(server, keys["hub"], london_cursor, site="london", locale="en")[:2] == ([], [])
    assert read_feed(server, keys["madrid"], spanish_cursor, locale="es")[:2] == ([], [])

    # The publishing process called Madrid's endpoint, with Madrid's page, and not London's.
    [call] = [json.loads(request["body"]) for request in receivers["madrid"].requests]
    assert (call["key"], call["site"], call["locale"]) == (madrid_safety, "madrid", "en")
    assert call["page"]["content"]["summary"] == summary
    assert receivers["london"].requests == []

    # Madrid's English safety page changes its regulatory notice: flagged in the status.
    result = database.manage("clinic_status", "--site", "madrid", "--format", "json", check=False)
    flagged = {(row["key"], row["locale"]): row["flags"] for row in json.loads(result.stdout)}
    assert flagged[madrid_safety, "en"] == ["library_changed"]
    assert flagged[madrid_safety, "es"] == []
    assert database.manage("clinic_status", "--check", check=False).returncode == 1

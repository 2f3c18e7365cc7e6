"""One clinic's sync feed and export bundle: its pages merged with its fields, in its
locales; a library publish reaches each clinic showing it as a change of its own page.

The demo: the group's site ("lumen") serves the library in en, fr, de and es; Madrid
(es, en) shows the library's microneedling and its safety checklist, London (en) only
microneedling.
"""

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from cms.delivery.models import ContentChange
from tests.utils import demo_page, publish_reviewed

from .conftest import bound_key, clinic_key

SYNC = "/api/v1/sync/"
EXPORT = "/api/v1/export/"

MADRID = {clinic_key(name) for name in ("clinic-madrid-home", "clinic-madrid-microneedling", "clinic-madrid-safety")}
LONDON = {clinic_key(name) for name in ("clinic-london-home", "clinic-london-microneedling")}


def sync(client, headers, **params):
    response = client.get(SYNC, params, **headers)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def drain(client, headers, **params):
    """Follow the feed until has_more is false: (every upsert, last cursor)."""
    upserts = []
    while True:
        answer = sync(client, headers, **params, limit=2)
        upserts += answer["upserts"]
        params["cursor"] = answer["cursor"]
        if not answer["has_more"]:
            return upserts, answer["cursor"]


def test_a_clinic_feed_holds_only_its_own_pages_merged_in_its_own_locales(client, clinics):
    hub = bound_key(["export"])
    for locale in ("es", "en"):
        upserts, _cursor = drain(client, hub, site="madrid", locale=locale)
        assert {page["key"] for page in upserts} == MADRID
        assert {page["locale"] for page in upserts} == {locale}
        for page in upserts:
            if page["type"] != "pages.HomePage":
                assert page["clinic"]["site"] == "madrid"
            # The feed carries the bytes the clinic's detail endpoint serves.
            detail = client.get(f"/api/v1/pages/{page['key']}/", {"site": "madrid", "locale": locale})
            assert detail.content in client.get(SYNC, {"site": "madrid", "locale": locale}, **hub).content
    upserts, _cursor = drain(client, hub, site="london", locale="en")
    assert {page["key"] for page in upserts} == LONDON
    microneedling = next(page for page in upserts if page["clinic"])
    assert microneedling["clinic"]["fields"]["price"]["value"]["currency"] == "GBP"
    # London serves English only; the group's own site serves neither clinic's pages.
    refused = client.get(SYNC, {"site": "london", "locale": "es"}, **hub)
    assert refused.status_code == 400 and refused.json()["invalid_params"][0]["allowed"] == ["en"]
    library, _cursor = drain(client, hub, locale="es")
    assert clinic_key("microneedling") in {page["key"] for page in library}
    assert not {page["key"] for page in library} & (MADRID | LONDON)


def test_a_key_bound_to_a_clinic_syncs_and_exports_that_clinic_and_gets_404_elsewhere(client, clinics):
    madrid_app = bound_key(["export"], "madrid")
    answer = sync(client, madrid_app, locale="es")
    assert answer["site"] == "madrid" and {page["key"] for page in answer["upserts"]} == MADRID
    for params, headers in (
        ({"site": "london", "locale": "en"}, {}),
        ({"locale": "en"}, {"HTTP_HOST": "london.localhost"}),
        ({"site": "lumen", "locale": "en"}, {}),
    ):
        for url in (SYNC, EXPORT):
            response = client.get(url, params, **madrid_app, **headers)
            assert response.status_code == 404, (url, params, headers)
            assert response["Content-Type"] == "application/problem+json"
    # An unknown clinic is a 404 for any key; without a key, a 401 before anything else.
    assert client.get(SYNC, {"site": "barcelona", "locale": "en"}, **bound_key(["export"])).status_code == 404
    assert client.get(SYNC, {"site": "barcelona", "locale": "en"}).status_code == 401

    response = client.get(EXPORT, **madrid_app)
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    manifest = json.loads(archive.read("manifest.json"))
    assert (manifest["site"], manifest["locales"]) == ("madrid", ["es", "en"])
    assert {page["key"] for page in manifest["pages"]} == MADRID
    body = archive.read(f"es/pages/{clinic_key('clinic-madrid-microneedling')}.json")
    detail = f"/api/v1/pages/{clinic_key('clinic-madrid-microneedling')}/?site=madrid&locale=es"
    assert body == client.get(detail).content


def test_a_library_publish_reaches_the_feeds_of_the_clinics_showing_it_and_no_other(client, clinics):
    hub = bound_key(["export"])
    feeds = [("madrid", "en"), ("madrid", "es"), ("london", "en"), ("lumen", "en")]
    cursors = {feed: drain(client, hub, site=feed[0], locale=feed[1])[1] for feed in feeds}

    since = ContentChange.objects.latest("id").id
    safety = demo_page("microneedling-safety", "en")
    safety.summary = "Check the skin before every session, and stop if it is broken."
    publish_reviewed(safety)

    answers = {feed: sync(client, hub, site=feed[0], locale=feed[1], cursor=cursors[feed]) for feed in feeds}
    # Madrid's English safety page shows the English library page: its own key, merged.
    [madrid] = answers["madrid", "en"]["upserts"]
    assert madrid["key"] == clinic_key("clinic-madrid-safety")
    assert madrid["content"]["summary"] == safety.summary
    assert madrid["clinic"]["library"]["key"] == clinic_key("microneedling-safety")
    assert madrid["clinic"]["fields"]["regulatory_notice"]["source"] == "clinic"
    assert answers["madrid", "en"]["tombstones"] == []
    # Madrid's Spanish copy shows the Spanish library page, which did not change; London
    # shows no safety page; the group's site has the library page itself.
    assert answers["madrid", "es"]["upserts"] == answers["madrid", "es"]["tombstones"] == []
    assert answers["london", "en"]["upserts"] == answers["london", "en"]["tombstones"] == []
    assert [page["key"] for page in answers["lumen", "en"]["upserts"]] == [clinic_key("microneedling-safety")]
    # The clinic page's row was written with the library's, in the same transaction,
    # typed as the API serves it.
    rows = list(ContentChange.objects.filter(id__gt=since).order_by("id"))
    assert [(str(row.key), row.event) for row in rows] == [
        (clinic_key("microneedling-safety"), "page.published"),
        (clinic_key("clinic-madrid-safety"), "page.published"),
    ]
    assert len({row.xact for row in rows}) == 1
    assert rows[1].page_type == "pages.SafetyChecklistPage"


def test_a_library_unpublish_tombstones_the_clinic_pages_it_leaves_without_a_page(client, clinics):
    hub = bound_key(["export"])
    feeds = [("madrid", "en"), ("madrid", "es"), ("london", "en")]
    cursors = {feed: drain(client, hub, site=feed[0], locale=feed[1])[1] for feed in feeds}

    demo_page("microneedling", "en").unpublish()  # hides the English safety checklist below it too

    answers = {feed: sync(client, hub, site=feed[0], locale=feed[1], cursor=cursors[feed]) for feed in feeds}
    assert answers["madrid", "en"]["upserts"] == []
    assert {tomb["key"] for tomb in answers["madrid", "en"]["tombstones"]} == {
        clinic_key("clinic-madrid-microneedling"),
        clinic_key("clinic-madrid-safety"),
    }
    assert answers["london", "en"]["tombstones"] == [{"key": clinic_key("clinic-london-microneedling")}]
    # Spanish readers keep the Spanish library pages.
    assert answers["madrid", "es"]["upserts"] == answers["madrid", "es"]["tombstones"] == []
    # Nor does a new full sync hold them (their detail is a 404 too).
    upserts, _cursor = drain(client, hub, site="madrid", locale="en")
    assert {page["key"] for page in upserts} == {clinic_key("clinic-madrid-home")}
    assert client.get(f"/api/v1/pages/{clinic_key('clinic-madrid-safety')}/?site=madrid&locale=en").status_code == 404


def test_export_content_writes_one_clinics_bundle(clinics, tmp_path):
    out = tmp_path / "madrid"
    call_command("export_content", "--out", str(out), "--site", "madrid", stdout=io.StringIO())
    manifest = json.loads((out / "manifest.json").read_text())
    assert (manifest["site"], manifest["locales"]) == ("madrid", ["es", "en"])
    assert {page["key"] for page in manifest["pages"]} == MADRID
    page = json.loads((out / "en" / "pages" / f"{clinic_key('clinic-madrid-microneedling')}.json").read_text())
    price = {"value": {"min": 180, "max": 260, "currency": "EUR"}, "source": "clinic"}
    assert page["clinic"]["fields"]["price"] == price

    with pytest.raises(CommandError, match="--site barcelona: no clinic of this hub has that code. Codes: "):
        call_command("export_content", "--out", str(tmp_path / "nowhere"), "--site", "barcelona")
    assert not (tmp_path / "nowhere").exists()
    with pytest.raises(CommandError, match="Unknown locale 'fr': this site serves es, en"):
        call_command("export_content", "--out", str(out), "--site", "madrid", "--locale", "fr")
    assert json.loads((out / "manifest.json").read_text()) == manifest  # the bundle there is unchanged


def test_an_incremental_clinic_export_renders_again_the_clinic_pages_a_library_publish_changed(clinics, tmp_path):
    out = tmp_path / "madrid"
    call_command("export_content", "--out", str(out), "--site", "madrid", stdout=io.StringIO())

    safety = demo_page("microneedling-safety", "en")
    safety.summary = "Check the skin before every session, and stop if it is broken."
    publish_reviewed(safety)

    output = io.StringIO()
    call_command("export_content", "--out", str(out), "--site", "madrid", "--incremental", stdout=output)
    # The safety page and the page above it (which lists it), in es and en; the home is reused.
    assert "4 rendered, 2 unchanged" in output.getvalue()
    page = json.loads((out / "en" / "pages" / f"{clinic_key('clinic-madrid-safety')}.json").read_text())
    assert page["content"]["summary"] == safety.summary


def test_a_page_moved_to_another_clinic_leaves_one_feed_and_enters_the_other(client, clinics):
    hub = bound_key(["export"])
    cursors = {site: drain(client, hub, site=site, locale="en")[1] for site in ("madrid", "london")}
    safety = demo_page("clinic-madrid-safety", "en")
    safety.move(demo_page("clinic-london-home", "en"), pos="last-child")

    madrid = sync(client, hub, site="madrid", locale="en", cursor=cursors["madrid"])
    london = sync(client, hub, site="london", locale="en", cursor=cursors["london"])
    # Madrid's English readers fall back to Madrid's Spanish copy (Madrid's default), which stayed.
    assert madrid["tombstones"] == []
    assert [(page["key"], page["locale"], page["fallback"]) for page in madrid["upserts"]] == [
        (clinic_key("clinic-madrid-safety"), "es", True)
    ]
    assert [page["key"] for page in london["upserts"]] == [clinic_key("clinic-madrid-safety")]
    assert london["upserts"][0]["clinic"]["site"] == "london"
    assert london["tombstones"] == []


def test_each_clinic_publishes_its_bundle_to_storage_under_its_code(clinics, settings, tmp_path):
    from django.core.files.storage import storages

    settings.STORAGES = {
        **settings.STORAGES,
        "bundles": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    for _round in range(3):  # older generations go, each clinic's own
        call_command("export_content", "--storage", "--site", "madrid", stdout=io.StringIO())
        call_command("export_content", "--storage", stdout=io.StringIO())
    storage = storages["bundles"]
    madrid = json.loads(storage.open("madrid/manifest.json").read())
    group = json.loads(storage.open("manifest.json").read())
    assert (madrid["site"], group["site"]) == ("madrid", "lumen")
    assert {page["key"] for page in madrid["pages"]} == MADRID
    for entry in madrid["pages"]:
        for copy in entry["locales"].values():
            assert storage.exists(f"madrid/{copy['file']}"), copy["file"]
    folders, _files = storage.listdir("")
    assert "madrid" in folders and len(folders) == 3  # madrid/, and the group's two generations
    assert len(storage.listdir("madrid")[0]) == 2


def test_rows_written_before_clinics_count_for_the_default_site(client, clinics):
    from cms.api.cursors import writing_xact
    from cms.delivery.recording import change_row

    hub = bound_key(["export"])
    cursors = {site: drain(client, hub, site=site, locale="en")[1] for site in ("lumen", "madrid")}
    # Stamped with this transaction's id, as the recording does (0 on SQLite).
    old = change_row("page.published", demo_page("microneedling", "en"), None, xact=writing_xact())
    old.tree_path = ""  # as the migration leaves the rows of pages deleted before it
    old.save()

    lumen = sync(client, hub, site="lumen", locale="en", cursor=cursors["lumen"])
    madrid = sync(client, hub, site="madrid", locale="en", cursor=cursors["madrid"])
    assert [page["key"] for page in lumen["upserts"]] == [clinic_key("microneedling")]
    assert madrid["upserts"] == madrid["tombstones"] == []

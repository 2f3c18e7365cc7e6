"""Changes made by another process reach every serving process, and nothing else moves.

Real processes throughout: a demo database of its own, a server (``runserver``, or
gunicorn with two workers, each with its own memory and, on SQLite, its own
local-memory cache), and ``manage.py shell`` runs that publish, unpublish and edit as
a cron job or an operator would. The clock really passes: expiry is seconds away.
"""

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.processes import demo_database, start_server

PAGE = """
import json, time
from wagtail.models import Page
from pages.demo.loader import demo_key
from tests.utils import publish_reviewed
page = Page.objects.get(translation_key=demo_key({name!r}), locale__language_code={locale!r}).specific
"""
RETITLE = (
    PAGE
    + """
page.title = {title!r}
publish_reviewed(page)
print(json.dumps({{"committed": time.time(), "revision": page.live_revision_id}}))
"""
)
UNPUBLISH = PAGE + "\npage.unpublish()\nprint(json.dumps({{'committed': time.time()}}))\n"
EXPIRE_SOON = (
    PAGE
    + """
import datetime
from django.utils import timezone
page.expire_at = timezone.now() + datetime.timedelta(seconds={seconds})
publish_reviewed(page)
print(json.dumps({{"expire_at": page.expire_at.timestamp()}}))
"""
)
KEY_OF = PAGE + "\nprint(json.dumps(str(page.translation_key)))\n"
EXPORT_KEY = """
import json
from cms.api.models import ApiKey
_key, raw = ApiKey.objects.create_key(name="sync", scopes=["export"])
print(json.dumps(raw))
"""
WORKER_READS = 12  # enough to reach each of two gunicorn workers several times


@pytest.fixture(scope="module", params=["gunicorn", "runserver"])
def served(request, tmp_path_factory):
    """A demo database of its own and a server on it, for each kind of server."""
    database = demo_database(tmp_path_factory.mktemp("processes"))
    server = start_server(database, request.param, tmp_path_factory.mktemp("logs"))
    yield database, server
    server.stop()
    if database.drop:
        database.drop()


@pytest.fixture
def database(served):
    return served[0]


@pytest.fixture
def server(served):
    return served[1]


def key_of(database, name, locale="en"):
    return database.shell(KEY_OF.format(name=name, locale=locale))


def served_title(server, key, locale):
    status, body = server.json(f"/api/v1/pages/{key}/?locale={locale}&fallback=false")
    return body["title"] if status == 200 else status


def every_worker_serves(server, path, check):
    """``check`` holds for ``WORKER_READS`` reads in a row (spread over every worker)."""
    results = [server.json(path) for _ in range(WORKER_READS)]
    return all(check(status, body) for status, body in results), results


def wait_for(predicate, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


def test_a_publish_in_another_process_is_served_by_every_worker_within_a_second(database, server):
    key = key_of(database, "microneedling")
    path = f"/api/v1/pages/{key}/?locale=fr&fallback=false"
    revision = server.json(path)[1]["meta"]["revision"]
    for round_number in range(3):
        for _ in range(WORKER_READS):
            server.get(path)  # every worker has it cached
        title = f"Microaiguillage, version {server.port}-{round_number}"
        committed = database.shell(RETITLE.format(name="microneedling", locale="fr", title=title))["committed"]
        time.sleep(max(0.0, committed + 1.0 - time.time()))
        ok, results = every_worker_serves(server, path, lambda status, body, t=title: body["title"] == t)
        assert ok, [body["title"] for _status, body in results]
        # The page's own publish count, the same from every worker: one more per publish.
        revision += 1
        assert {body["meta"]["revision"] for _status, body in results} == {revision}


def test_a_publish_leaves_unrelated_cached_answers_alone(database, server):
    """Retitling the French procedure stales what shows it (itself, its French children,
    the French section page, listings) and nothing in English."""
    keys = {name: key_of(database, name) for name in ("microneedling", "microneedling-benefits", "treatments")}
    urls = {
        (name, locale): f"/api/v1/pages/{key}/?locale={locale}&fallback=false"
        for name, key in keys.items()
        for locale in ("en", "fr")
    }
    urls["listing", "fr"] = "/api/v1/pages/?locale=fr"
    for _ in range(2):
        for url in urls.values():
            server.get(url)  # runserver: one process; cached after the first read
    before = {name: server.get(url)[2] for name, url in urls.items()}
    committed = database.shell(
        RETITLE.format(name="microneedling", locale="fr", title=f"Microaiguillage {time.time()}")
    )["committed"]
    time.sleep(max(0.0, committed + 1.0 - time.time()))
    after = {name: server.get(url) for name, url in urls.items()}
    changed = {name for name, (_status, _headers, body) in after.items() if body != before[name]}
    assert changed == {
        ("microneedling", "fr"),
        ("microneedling-benefits", "fr"),
        ("treatments", "fr"),
        ("listing", "fr"),
    }
    if server.log.name.startswith("runserver"):  # one process: its cache says exactly what it kept
        misses = {name for name, (_status, headers, _body) in after.items() if headers["X-Cache"] == "miss"}
        assert misses == changed


MARK_MACHINE = (
    PAGE
    + """
from wagtail_localize.models import StringTranslation
done = StringTranslation.objects.filter(locale=page.locale, context__object_id=page.translation_key)
manual = done.exclude(translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE).order_by("pk").first()
manual.translation_type = StringTranslation.TRANSLATION_TYPE_MACHINE
manual.save()
print(json.dumps({{"committed": time.time(), "machine": done.filter(translation_type="machine").count()}}))
"""
)


def test_a_translation_saved_in_another_process_shows_in_meta_everywhere_within_a_second(database, server):
    """``meta.translation`` is read once per process and page, then kept: a translator's
    save elsewhere (here a segment turned machine-made) must still reach every worker."""
    key = key_of(database, "microneedling-benefits", "fr")
    path = f"/api/v1/pages/{key}/?locale=fr&fallback=false"
    ok, results = every_worker_serves(server, path, lambda status, body: status == 200)
    assert ok
    before = results[0][1]["meta"]["translation"]["machine"]
    changed = database.shell(MARK_MACHINE.format(name="microneedling-benefits", locale="fr"))
    assert changed["machine"] == before + 1
    time.sleep(max(0.0, changed["committed"] + 1.0 - time.time()))
    ok, results = every_worker_serves(
        server, path, lambda status, body: body["meta"]["translation"]["machine"] == changed["machine"]
    )
    assert ok, [body["meta"]["translation"] for _status, body in results]


NEW_IMAGE_FILE = (
    PAGE
    + """
import io
from django.core.files.images import ImageFile
image = page.hero_image
data = image.file.read()
image.renditions.all().delete()  # as the admin's image edit does when the file changes
image.file = ImageFile(io.BytesIO(data), name={file_name!r})
image.save()
print(json.dumps({{"committed": time.time()}}))
"""
)


def test_a_new_image_file_saved_in_another_process_shows_everywhere_within_a_second(database, server):
    """Renditions are looked up once per process and image, then kept: an editor
    replacing the file elsewhere must still change every worker's URLs."""
    key = key_of(database, "microneedling", "es")
    path = f"/api/v1/pages/{key}/?locale=es&fallback=false"

    def rendition_urls(body):
        return [rendition["url"] for rendition in body["content"]["hero_image"]["renditions"].values()]

    ok, _results = every_worker_serves(server, path, lambda status, body: status == 200 and rendition_urls(body))
    assert ok
    name = f"replaced-{server.port}.jpg"
    committed = database.shell(NEW_IMAGE_FILE.format(name="microneedling", locale="es", file_name=name))["committed"]
    time.sleep(max(0.0, committed + 1.0 - time.time()))
    stem = name.removesuffix(".jpg")
    ok, results = every_worker_serves(
        server, path, lambda status, body: all(stem in url for url in rendition_urls(body))
    )
    assert ok, [rendition_urls(body) for _status, body in results]


DELIVERY_KEY = """
import json
from cms.api.models import ApiKey
_key, raw = ApiKey.objects.create_key(name="website", scopes=["delivery"])
print(json.dumps(raw))
"""
REVOKE = """
import json, time
from cms.api.models import ApiKey
ApiKey.objects.get(prefix={prefix!r}).revoke()
print(json.dumps({{"committed": time.time()}}))
"""


def test_a_key_revoked_in_another_process_is_refused_everywhere_within_a_second(database, server):
    """Workers keep the keys they looked up; a revoke made elsewhere still counts at once."""
    raw_key = database.shell(DELIVERY_KEY)
    key = key_of(database, "microneedling")
    path = f"/api/v1/pages/{key}/?locale=en"
    for _ in range(WORKER_READS):
        assert server.get(path, **{"X-Api-Key": raw_key})[0] == 200  # every worker has looked it up
    committed = database.shell(REVOKE.format(prefix=raw_key.split(".")[0]))["committed"]
    time.sleep(max(0.0, committed + 1.0 - time.time()))
    statuses = [server.get(path, **{"X-Api-Key": raw_key})[0] for _ in range(WORKER_READS)]
    assert statuses == [401] * WORKER_READS


def test_an_unpublish_in_another_process_is_gone_everywhere_within_a_second(database, server):
    key = key_of(database, "microneedling-safety", "de")
    path = f"/api/v1/pages/{key}/?locale=de&fallback=false"
    for _ in range(WORKER_READS):
        assert server.get(path)[0] == 200
    committed = database.shell(UNPUBLISH.format(name="microneedling-safety", locale="de"))["committed"]
    time.sleep(max(0.0, committed + 1.0 - time.time()))
    ok, results = every_worker_serves(server, path, lambda status, body: status == 404)
    assert ok, [status for status, _body in results]
    ok, _ = every_worker_serves(
        server,
        "/api/v1/pages/?locale=de&limit=100",
        lambda status, body: ("de", key) not in {(p["locale"], p["key"]) for p in body["results"]},
    )
    assert ok  # the English copy serves German clients now


def test_an_expired_page_is_gone_at_its_expiry_without_publish_scheduled(database, server):
    key = key_of(database, "microneedling-devices", "es")
    detail = f"/api/v1/pages/{key}/?locale=es&fallback=false"
    raw_key = database.shell(EXPORT_KEY)
    expire_at = database.shell(EXPIRE_SOON.format(name="microneedling-devices", locale="es", seconds=8))["expire_at"]
    assert wait_for(lambda: server.get(detail)[0] == 200, 2)
    for _ in range(WORKER_READS):
        status, headers, _body = server.get(detail)
        assert status == 200
        max_age = int(headers["Cache-Control"].rsplit("max-age=", 1)[1].split(",")[0])
        assert max_age <= expire_at - time.time() + 1  # no CDN keeps it past its expiry
    assert server.get(detail)[1]["X-Cache"] == "hit"
    assert time.time() < expire_at  # all of the above happened before the expiry
    time.sleep(max(0.0, expire_at - time.time()) + 0.05)
    ok, results = every_worker_serves(server, detail, lambda status, body: status == 404)
    assert ok, [status for status, _body in results]
    status, listing = server.json("/api/v1/pages/?locale=es&limit=100")
    assert ("es", key) not in {(page["locale"], page["key"]) for page in listing["results"]}
    status, headers, body = server.get("/api/v1/sync/?locale=es", Authorization=f"Api-Key {raw_key}")
    assert status == 200
    synced = json.loads(body)
    assert ("es", key) not in {(page["locale"], page["key"]) for page in synced["upserts"]}


def test_two_processes_publishing_at_once_lose_no_invalidation(database, server):
    """Each writer retitles its own page ten times, at the same moment as the other."""
    names = ("microneedling-benefits", "microneedling-devices")
    keys = {name: key_of(database, name, "de") for name in names}
    loop = PAGE + "\nfor n in range(10):\n    page.title = f'{prefix} {{n}}'\n    publish_reviewed(page)\n"
    writers = [
        database.start_shell(loop.format(name=name, locale="de", prefix=f"{name} {server.port}")) for name in names
    ]
    with ThreadPoolExecutor(4) as pool:  # readers fill the caches while the writers write
        stop = time.time() + 3
        list(
            pool.map(lambda _n: [served_title(server, k, "de") for k in keys.values() if time.time() < stop], range(40))
        )
    for writer in writers:
        _out, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors
    time.sleep(1.0)
    for name, key in keys.items():
        ok, results = every_worker_serves(
            server,
            f"/api/v1/pages/{key}/?locale=de&fallback=false",
            lambda status, body, n=name: body["title"] == f"{n} {server.port} 9",
        )
        assert ok, [body["title"] for _status, body in results]


WRITER = (
    PAGE
    + """
for n in range({count}):
    page.title = f"{prefix} {{n}}"
    publish_reviewed(page)
print(json.dumps({{"published": {count}}}))
"""
)


def test_two_processes_publishing_thirty_times_each_lose_no_write(tmp_path):
    """On the embedded default (a SQLite file) as on PostgreSQL: every publish of two
    writers running at once lands, none fails with "database is locked"."""
    database = demo_database(tmp_path)
    try:
        count_revisions = PAGE + "\nfrom wagtail.models import Revision\nprint(json.dumps(Revision.objects.count()))\n"
        before = database.shell(count_revisions.format(name="microneedling", locale="en"))
        writers = [
            database.start_shell(WRITER.format(name=name, locale="fr", prefix=name, count=30))
            for name in ("microneedling-benefits", "microneedling-safety")
        ]
        for writer in writers:
            out, errors = writer.communicate(timeout=600)
            assert writer.returncode == 0, errors
            assert json.loads(out.strip().splitlines()[-1]) == {"published": 30}
            assert "database is locked" not in errors
        after = database.shell(count_revisions.format(name="microneedling", locale="en"))
        assert after - before == 2 * 60  # each publish: the draft, then the revision the approval stamps
    finally:
        if database.drop:
            database.drop()


RESUMMARISE = (
    PAGE
    + """
page.summary = {summary!r}
publish_reviewed(page)
print(json.dumps({{"committed": time.time()}}))
"""
)


def test_a_library_publish_in_another_process_reaches_every_clinic_within_a_second(database, server):
    """Madrid and London show the library's microneedling: a publish of the library page
    elsewhere is served by every worker, on both clinics, within a second; each clinic
    keeps its own price."""
    madrid = key_of(database, "clinic-madrid-microneedling")
    london = key_of(database, "clinic-london-microneedling")
    paths = {
        "madrid": f"/api/v1/pages/{madrid}/?site=madrid&locale=en",
        "london": f"/api/v1/pages/{london}/?site=london&locale=en",
    }
    for path in paths.values():
        for _ in range(WORKER_READS):
            server.get(path)  # every worker has both cached
    summary = f"Tiny needles prompt new collagen ({server.port})."
    committed = database.shell(RESUMMARISE.format(name="microneedling", locale="en", summary=summary))["committed"]
    time.sleep(max(0.0, committed + 1.0 - time.time()))
    for site, path in paths.items():
        ok, results = every_worker_serves(
            server, path, lambda status, body, s=summary: status == 200 and body["content"]["summary"] == s
        )
        assert ok, [body.get("content", {}).get("summary") for _status, body in results]
        currencies = {body["clinic"]["fields"]["price"]["value"]["currency"] for _status, body in results}
        assert currencies == {"EUR" if site == "madrid" else "GBP"}
        assert {body["clinic"]["fields"]["price"]["source"] for _status, body in results} == {"clinic"}

"""Benchmark of a hub with many clinics: 50 clinics showing a library of 20 procedures.

    .venv/bin/python bench/clinics.py            # or: make bench-clinics

What it does, in one run (PostgreSQL, and Redis at ``BENCH_REDIS_URL``, default
``redis://127.0.0.1:6379/12``, emptied first):

1. Builds two databases, kept for later runs (``--reseed`` starts again):
   - ``cms_clinics_bench``: the demo, the library brought to 20 procedures with
     ``bulk_seed.py`` (procedure, benefits, comparison and safety pages in en, fr, de,
     es), then ``BENCH_CLINICS`` (default 50) clinics, each a Site with a home and one
     clinic page per English library page (procedure and children: 80 per clinic, about
     4,000 served clinic pages in English), each with its own price and booking link.
   - ``cms_single_bench``: one site of about the same number of pages (``bulk_seed.py``).
2. Serves each with gunicorn (2 workers on CPU 0) and measures with wrk (CPU 1) the
   detail of a clinic page and of a plain page, cold (API cache off) and warm.
3. In the clinics database, with the cache on: reads every clinic page once (all
   cached), publishes one library procedure from another process (``manage.py shell``),
   then reads every page again and counts which were rebuilt (``X-Cache: miss``). The
   set must be exactly the pages that show the library page.
4. Publishes the library procedure again from another process and polls every
   clinic's page until it shows the change: the time from commit to the last clinic.

Not part of the test suite. Needs wrk (a Debian package).
"""

import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402
from bench.common import PYTHON, ROOT, Gunicorn  # noqa: E402

CLINICS_URL = os.environ.get("BENCH_CLINICS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cms_clinics_bench")
SINGLE_URL = os.environ.get("BENCH_SINGLE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cms_single_bench")
# Redis by default: the invalidation count needs one cache that holds every answer (each
# worker's local memory holds its own, and 20,000 entries at most).
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
CLINICS = int(os.environ.get("BENCH_CLINICS", "50"))
PROCEDURES = 20
LIBRARY_PAGES = PROCEDURES * 4 * 4  # four pages a procedure, four locales
PORT = int(os.environ.get("BENCH_PORT", "8121"))
os.environ.setdefault("BENCH_PORT", str(PORT))

from bench.run import measure  # noqa: E402  (wrk on BENCH_PORT, rounds and seconds from BENCH_*)

SEED_CLINICS = """
import django, json; django.setup()
from django.db import transaction
from wagtail.models import Locale, Page, Site
from pages.models import Clinic, ClinicPage, HomePage, ProcedurePage

en = Locale.objects.get(language_code="en")
library = list(ProcedurePage.objects.filter(locale=en, live=True).order_by("pk")[:{procedures}])
made = 0
for number in range(1, {clinics} + 1):
    slug = f"bench-clinic-{{number:02d}}"
    if Clinic.objects.filter(slug=slug).exists():
        continue
    with transaction.atomic():
        home = Page.get_first_root_node().add_child(
            instance=HomePage(title=f"Clinic {{number}}", slug=slug, locale=en, live=True)
        )
        site = Site.objects.create(hostname=f"{{slug}}.localhost", port=80, root_page=home, site_name=slug)
        Clinic.objects.create(site=site, slug=slug, name=f"Clinic {{number}}", locales=["en"])
        for procedure in library:
            top = home.add_child(instance=ClinicPage(
                title=procedure.title, slug=procedure.slug, locale=en, live=True, library_page=procedure,
                price_min=100 + number, price_max=200 + number, price_currency="EUR",
                booking_url=f"https://{{slug}}.example/book",
            ))
            for child in procedure.get_children().live().specific():
                top.add_child(instance=ClinicPage(
                    title=child.title, slug=child.slug, locale=en, live=True, library_page=child,
                ))
                made += 1
            made += 1
print(json.dumps({{"made": made, "clinic_pages": ClinicPage.objects.count()}}))
"""

FIND_URLS = """
import django, json; django.setup()
from wagtail.models import Page
from pages.models import Clinic, ClinicPage, ProcedurePage
first = ProcedurePage.objects.filter(locale__language_code="en", live=True).order_by("pk").first()
shows = list(ClinicPage.objects.filter(library_page=first).values_list("translation_key", "path"))
clinic_of = {}
for clinic in Clinic.objects.select_related("site__root_page"):
    clinic_of[clinic.site.root_page.path] = clinic.slug
every = []
for key, path, in ClinicPage.objects.filter(live=True).values_list("translation_key", "path"):
    if path[:8] in clinic_of:  # the demo's clinic pages in their other locales are left out
        every.append([str(key), clinic_of[path[:8]]])
print(json.dumps({
    "library": {"key": str(first.translation_key), "id": first.pk},
    "shows": sorted(str(key) for key, _path in shows),
    "every": every,
    "pages": Page.objects.filter(live=True).count(),
}))
"""

PUBLISH = """
import django, json, time; django.setup()
from wagtail.models import Page
from tests.utils import publish_reviewed
page = Page.objects.get(pk={page_id}).specific
page.summary = {summary!r}
publish_reviewed(page)
print(json.dumps({{"committed": time.time()}}))
"""


def env(database_url, **extra):
    return common.bench_env(database_url, REDIS_URL, **extra)


def python(database_url, script):
    output = subprocess.run(
        [PYTHON, "-c", script], cwd=ROOT, env=env(database_url), check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def prepare(reseed):
    for url, pages in ((CLINICS_URL, LIBRARY_PAGES), (SINGLE_URL, None)):
        created = common.create_database(url, drop=reseed)
        common.manage(env(url), "migrate", "--no-input", "-v0")
        if created:
            common.manage(env(url), "load_demo_content", "--no-accounts", "-v0")
        if pages is not None:
            subprocess.run([PYTHON, "bench/bulk_seed.py", "--pages", str(pages)], cwd=ROOT, env=env(url), check=True)
    started = time.monotonic()
    made = python(CLINICS_URL, SEED_CLINICS.format(procedures=PROCEDURES, clinics=CLINICS))
    print(f"Clinic pages: {made['clinic_pages']} ({made['made']} added in {time.monotonic() - started:.0f}s)")
    found = python(CLINICS_URL, FIND_URLS)
    # The single site: as many live pages as the clinics' database serves.
    subprocess.run(
        [PYTHON, "bench/bulk_seed.py", "--pages", str(found["pages"])], cwd=ROOT, env=env(SINGLE_URL), check=True
    )
    return found


def get(path, host=None):
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers={"Host": host} if host else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers.get("X-Cache"), json.loads(response.read())


def throughput(found):
    key, site = found["every"][len(found["every"]) // 2]
    single_key = python(
        SINGLE_URL,
        "import django, json; django.setup()\nfrom pages.models import ProcedurePage\n"
        "print(json.dumps(str(ProcedurePage.objects.filter(live=True, locale__language_code='en')"
        ".order_by('-pk').values_list('translation_key', flat=True).first())))",
    )
    rates = {}
    for cache in (0, 1):
        label = "warm" if cache else "cold"
        with Gunicorn(env(CLINICS_URL, API_CACHE_ENABLED=cache), PORT):
            rates.update({f"clinic page, {label}": measure({"x": f"/api/v1/pages/{key}/?site={site}&locale=en"})["x"]})
        with Gunicorn(env(SINGLE_URL, API_CACHE_ENABLED=cache), PORT):
            rates.update({f"single-site page, {label}": measure({"x": f"/api/v1/pages/{single_key}/?locale=en"})["x"]})
    return rates


def invalidation(found):
    """Pages rebuilt after one library publish, against the pages that show it."""
    library = found["library"]
    # One worker: with the local-memory cache each worker has its own, and a page cached in
    # one and read from the other would count as rebuilt.
    with Gunicorn(env(CLINICS_URL, API_CACHE_ENABLED=1), PORT, workers=1):
        every = [(key, site) for key, site in found["every"]]
        for key, site in every:
            get(f"/api/v1/pages/{key}/?site={site}&locale=en")
        library_path = f"/api/v1/pages/{library['key']}/?locale=en"
        get(library_path)
        python(CLINICS_URL, PUBLISH.format(page_id=library["id"], summary=f"Bench change {time.time()}"))
        time.sleep(1.5)
        rebuilt = {key for key, site in every if get(f"/api/v1/pages/{key}/?site={site}&locale=en")[0] == "miss"}
        library_rebuilt = get(library_path)[0] == "miss"
        # Time for every clinic's page to show a second change.
        summary = f"Bench change {time.time()}"
        committed = python(CLINICS_URL, PUBLISH.format(page_id=library["id"], summary=summary))["committed"]
        showing = {key: site for key, site in every if key in set(found["shows"])}
        seen = {}
        deadline = time.time() + 30
        while len(seen) < len(showing) and time.time() < deadline:
            for key, site in showing.items():
                path = f"/api/v1/pages/{key}/?site={site}&locale=en"
                if key not in seen and get(path)[1]["content"]["summary"] == summary:
                    seen[key] = time.time() - committed
    return {
        "clinic pages cached": len(every),
        "pages that show the library page": len(set(found["shows"])),
        "clinic pages rebuilt": len(rebuilt),
        "rebuilt == pages that show it": rebuilt == set(found["shows"]),
        "library page rebuilt": library_rebuilt,
        "clinics showing the change": f"{len(seen)}/{len(showing)}",
        "commit -> every clinic, max ms": round(max(seen.values()) * 1000) if seen else None,
        "commit -> clinic, median ms": round(statistics.median(seen.values()) * 1000) if seen else None,
    }


def main():
    found = prepare("--reseed" in sys.argv)
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    print(f"{found['pages']} live pages; {len(found['every'])} clinic pages in {CLINICS} clinics")
    for name, value in invalidation(found).items():
        print(f"{name:>40}: {value}")
    rates = throughput(found)
    for name, value in rates.items():
        print(f"{name:>40}: {value:8.0f} req/s")
    for label in ("cold", "warm"):
        ratio = rates[f"clinic page, {label}"] / rates[f"single-site page, {label}"]
        print(f"{'clinic / single site, ' + label:>40}: {ratio:.2f}")


if __name__ == "__main__":
    main()

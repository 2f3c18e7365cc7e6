"""Benchmark of the delivery API against Wagtail's API v2 and v3 and a trivial view.

    make bench            # or: .venv/bin/python bench/run.py

What it does, in one run:

1. Builds a PostgreSQL database (``BENCH_DATABASE_URL``, default
   ``postgres://postgres@127.0.0.1:5432/cms_api_bench``): migrations, the demo, then
   ``bench/bulk_seed.py`` up to ``BENCH_PAGES`` (default 3200) live pages. Reused on
   later runs; ``--reseed`` starts again.
2. Counts SQL queries per request in-process for every URL measured.
3. Serves the app with gunicorn on 127.0.0.1 (2 sync workers pinned to CPU 0) twice:
   with the API's cache off (cold) and on (warm; Redis when ``BENCH_REDIS_URL`` is
   set, else local memory), and measures each URL with wrk (pinned to CPU 1):
   ``BENCH_ROUNDS`` rounds of ``BENCH_SECONDS`` seconds, the URLs taking turns within a
   round; prints the median req/s and the ratios.
   The warm run also measures nginx serving the same detail JSON as a static file.
4. Profiles the cold detail in-process with pyinstrument and prints where time goes.

Not part of the test suite. Needs wrk and nginx (Debian packages; installed if missing).
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402
from bench.common import PYTHON, ROOT, Gunicorn, stop, wait_until_up  # noqa: E402

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cms_api_bench")
PAGES = int(os.environ.get("BENCH_PAGES", "3200"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
PORT = int(os.environ.get("BENCH_PORT", "8101"))
STATIC_PORT = PORT + 1
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "")


def env(**extra):
    return common.bench_env(DATABASE_URL, REDIS_URL, **extra)


def manage(*args, **extra):
    common.manage(env(**extra), *args)


def ensure_tool(program):
    """wrk and nginx come from Debian's packages of the same names."""
    if shutil.which(program):
        return
    print(f"Installing {program} …")
    subprocess.run(["apt-get", "install", "-y", "-qq", program], check=True)


def prepare_database(reseed):
    created = common.create_database(DATABASE_URL, drop=reseed)
    manage("migrate", "--no-input", "-v0")  # a database kept from an earlier run gets new migrations
    if created:
        manage("load_demo_content", "--no-accounts", "-v0")
    subprocess.run([PYTHON, "bench/bulk_seed.py", "--pages", str(PAGES)], cwd=ROOT, env=env(), check=True)


def urls():
    """The URLs measured, found in the seeded database."""
    script = """
import django, json; django.setup()
from wagtail.models import Page
from pages.demo.loader import demo_key
fr = Page.objects.get(translation_key=demo_key("microneedling"), locale__language_code="fr")
print(json.dumps({"key": str(fr.translation_key), "id": fr.pk, "pages": Page.objects.count()}))
"""
    found = json.loads(
        subprocess.run([PYTHON, "-c", script], cwd=ROOT, env=env(), check=True, capture_output=True, text=True).stdout
    )
    key, page_id = found["key"], found["id"]
    print(f"{found['pages']} pages in the database")
    return {
        "ours detail": f"/api/v1/pages/{key}/?locale=fr",
        "ours listing": "/api/v1/pages/?locale=fr&limit=20",
        "wagtail v2 detail": f"/wagtail-api/v2/pages/{page_id}/",
        "wagtail v2 listing": "/wagtail-api/v2/pages/?limit=20&locale=fr",
        "wagtail v3 detail": f"/wagtail-api/v3/pages/{page_id}/",
        "wagtail v3 listing": "/wagtail-api/v3/pages/?limit=20&locale=fr",
        "trivial view": "/bench/trivial/",
    }


def delivery_key():
    """A delivery key (live content from the shared cache, at the key's own rate) made in
    the benchmark database: what a website rendering on its server reads with."""
    script = """
import django; django.setup()
from cms.api.models import ApiKey
_key, raw = ApiKey.objects.create_key(name="bench delivery", scopes=["delivery"])
print(raw)
"""
    return subprocess.run(
        [PYTHON, "-c", script], cwd=ROOT, env=env(), check=True, capture_output=True, text=True
    ).stdout.split()[-1]


def count_queries(targets, cache_enabled):
    """SQL queries per request, in-process, as a run sees them.

    Cold (cache off): a read that renders the page, with Wagtail's site root paths and
    the API's site index already built, as in a running server (a publish updates the
    index in place). Warm (cache on): a repeat of the same read.
    """
    script = f"""
import django, json; django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from cms.api.site_index import site_index
from wagtail.models import Site
client = Client(HTTP_HOST="127.0.0.1")
result = {{}}
for name, url in {json.dumps(targets)}.items():
    client.get(url)
    if not {cache_enabled}:
        Site.get_site_root_paths()
        site_index()
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    result[name] = [len(queries), status]
print(json.dumps(result))
"""
    output = subprocess.run(
        [PYTHON, "-c", script],
        cwd=ROOT,
        env=env(API_CACHE_ENABLED=int(cache_enabled)),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def server(cache_enabled):
    """gunicorn serving the benchmark settings on 127.0.0.1, 2 workers pinned to CPU 0."""
    return Gunicorn(env(API_CACHE_ENABLED=int(cache_enabled)), PORT)


class StaticServer:
    """nginx serving ``body`` as a file on 127.0.0.1, one worker pinned to CPU 0: the
    ceiling a response cache in front of Django could reach."""

    def __init__(self, body):
        self.body = body

    def __enter__(self):
        self.root = Path(tempfile.mkdtemp(prefix="cms-bench-static-"))
        self.root.chmod(0o755)
        (self.root / "page.json").write_bytes(self.body)
        (self.root / "page.json").chmod(0o644)
        config = self.root / "nginx.conf"
        config.write_text(
            f"""daemon off; worker_processes 1; pid {self.root}/nginx.pid; error_log {self.root}/error.log;
events {{ worker_connections 256; }}
http {{
  access_log off;
  server {{ listen 127.0.0.1:{STATIC_PORT}; root {self.root}; default_type application/json; }}
}}
"""
        )
        command = ["taskset", "-c", "0", "nginx", "-c", str(config), "-p", str(self.root)]
        self.process = subprocess.Popen(command, start_new_session=True)
        self.url = f"http://127.0.0.1:{STATIC_PORT}/page.json"
        wait_until_up(self.url, "nginx")
        return self

    def __exit__(self, *exc):
        stop(self.process)
        shutil.rmtree(self.root, ignore_errors=True)


def wrk(url, seconds):
    """Requests/second of one wrk run (pinned to CPU 1), a new connection per request as
    gunicorn's sync workers make it; errors stop the benchmark. ``url`` may be a pair
    ``(url, extra header)``."""
    url, header = url if isinstance(url, tuple) else (url, None)
    url = url if url.startswith("http") else f"http://127.0.0.1:{PORT}{url}"
    command = ["taskset", "-c", "1", "wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "-H", "Connection: close", url]
    if header:
        command[-1:-1] = ["-H", header]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    if "Non-2xx" in output or "timeout" in output:
        raise RuntimeError(f"{url} answered errors:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def measure(urls):
    """Median requests/second per URL over ROUNDS rounds, the URLs taking turns in each
    round so that a change in the machine's load falls on all of them alike."""
    for url in urls.values():
        wrk(url, 1)  # warm-up: workers started, caches and the site index filled
    rates = {name: [] for name in urls}
    for _ in range(ROUNDS):
        for name, url in urls.items():
            rates[name].append(wrk(url, SECONDS))
    return {name: statistics.median(values) for name, values in rates.items()}


def index_cost():
    script = """
import django, json, time; django.setup()
from django.db import connection
from django.test.utils import CaptureQueriesContext
from cms.api import invalidation
from cms.api.site_index import site_index
from wagtail.models import Site
Site.get_site_root_paths()
site_index()
invalidation.reset()
started = time.perf_counter()
with CaptureQueriesContext(connection) as queries:
    index = site_index()
elapsed = round((time.perf_counter() - started) * 1000)
print(json.dumps({"pages": index.stats()["pages"], "queries": len(queries), "ms": elapsed}))
"""
    output = subprocess.run([PYTHON, "-c", script], cwd=ROOT, env=env(), check=True, capture_output=True, text=True)
    return output.stdout.strip().splitlines()[-1]


def profile(url):
    script = f"""
import django; django.setup()
from django.test import Client
from pyinstrument import Profiler
client = Client(HTTP_HOST="127.0.0.1")
client.get("{url}")
profiler = Profiler()
profiler.start()
for _ in range(200):
    client.get("{url}")
profiler.stop()
print(profiler.output_text(unicode=True, color=False, show_all=False))
"""
    output = subprocess.run(
        [PYTHON, "-c", script], cwd=ROOT, env=env(API_CACHE_ENABLED=0), check=True, capture_output=True, text=True
    ).stdout
    return output


def main():
    ensure_tool("wrk")
    ensure_tool("nginx")
    prepare_database("--reseed" in sys.argv)
    targets = urls()
    cold_queries = count_queries(targets, cache_enabled=False)
    warm_queries = count_queries({k: v for k, v in targets.items() if k.startswith("ours")}, cache_enabled=True)
    rates = {}
    with server(cache_enabled=False):
        for name, rate in measure(targets).items():
            rates[f"{name} (cold)" if name.startswith("ours") else name] = rate
    with server(cache_enabled=True):
        body = urllib.request.urlopen(f"http://127.0.0.1:{PORT}{targets['ours detail']}").read()
        with StaticServer(body) as static:
            warm = measure(
                {
                    **{name: targets[name] for name in ("ours detail", "ours listing", "trivial view")},
                    "ours detail, delivery key": (targets["ours detail"], f"X-Api-Key: {delivery_key()}"),
                    "static file": static.url,
                }
            )
    labels = {"trivial view": "trivial view (cache on)", "static file": "same JSON as a file (nginx)"}
    for name, rate in warm.items():
        rates[f"{name} (warm)" if name.startswith("ours") else labels[name]] = rate

    print(f"\n{'endpoint':<28}{'req/s':>10}{'SQL/request':>14}")
    for label, rate in rates.items():
        name = label.split(" (")[0]
        queries = (warm_queries if "(warm)" in label else cold_queries).get(name, ["-"])[0]
        print(f"{label:<28}{rate:>10.0f}{queries!s:>14}")

    def ratio(a, b):
        return rates[a] / rates[b] if rates[b] else float("inf")

    print("\nRatios (targets in brackets):")
    print(f"  cold detail / Wagtail v3 detail  {ratio('ours detail (cold)', 'wagtail v3 detail'):.2f}  [>= 3]")
    print(f"  cold detail / Wagtail v2 detail  {ratio('ours detail (cold)', 'wagtail v2 detail'):.2f}  [>= 4]")
    print(f"  warm detail / trivial view       {ratio('ours detail (warm)', 'trivial view (cache on)'):.2f}  [>= 0.9]")
    print(f"  cold listing / Wagtail v2 listing {ratio('ours listing (cold)', 'wagtail v2 listing'):.2f}")
    print(f"  warm listing / trivial view      {ratio('ours listing (warm)', 'trivial view (cache on)'):.2f}")
    print(f"  warm detail / nginx static file  {ratio('ours detail (warm)', 'same JSON as a file (nginx)'):.2f}")
    keyed = ratio("ours detail, delivery key (warm)", "ours detail (warm)")
    print(f"  warm detail, delivery key / anonymous {keyed:.2f}")
    print(
        "\nSQL queries per request, cold, listing at limit=20:",
        {name: count for name, (count, _status) in cold_queries.items()},
    )
    print("\nSite index build (a worker's first read):", index_cost())
    print("\nWhere a cold detail spends its time (pyinstrument, 200 requests in-process):")
    print(profile(targets["ours detail"]))


if __name__ == "__main__":
    main()

"""The delivery API at ~3k, 30k and 100k live pages: freshness, invalidation and memory.

    .venv/bin/python bench/scale.py --sizes 3000,30000,100000

For each size: a PostgreSQL database (``--database-url`` with ``{label}``, default
``postgres://postgres@127.0.0.1:5432/cms_scale_{label}``, e.g. ``cms_scale_3k``; made
with migrations, the demo and ``bench/bulk_seed.py``, reused by later runs unless
``--reseed``), Redis (``--redis-url``, default db 5, key prefix ``cms-scale-<label>``,
emptied first) and gunicorn with the benchmark settings (``--workers`` sync workers
pinned to ``--cpus``). Pages are published by a separate process (this script with
``--publisher``) that reports when each commit happened. Measures:

a. commit to visible: a page is published; its detail URL (warmed first) is polled
   every ``--poll-ms`` until the new title shows. Median and max over ``--publishes``.
b. first read of an unrelated page after a publish: detail A read twice, page B
   published and seen, then A read once; median times and the ``X-Cache`` of that read.
c. invalidation: ``--sample`` random keys x 2 locales, the published page's
   translations, parent and children and the French listing are read (twice); after
   one publish they are read again. Counts the ``X-Cache: miss`` answers, the bodies
   that changed, and the answers that differ from a fresh render (a new process with
   the cache off): stale.
d. resident memory (VmRSS) of each gunicorn worker after the warm-up and at the end.
e. reads during writes: a page is published every second for ``--write-seconds``
   (titles carry an increasing marker, "… #<n>") while ``--readers`` threads poll those
   pages; a violation is a read older than the latest publish of that page committed
   more than a second before the answer arrived.

``X-Cache`` counts as unknown while the server does not send it. Every option has an
environment variable too (``BENCH_SIZES``, ``BENCH_WRITE_SECONDS``, ``BENCH_WORKERS``,
…; ``--help`` lists them). The table is printed at the end and written to
``bench/results/scale.json``. Not part of the test suite.
"""

import argparse
import hashlib
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402
from bench.common import PYTHON, ROOT, Gunicorn, bench_env, rss_mib  # noqa: E402

LOCALE, OTHER_LOCALE = "fr", "en"
MARKER = re.compile(r" #(\d+)$")
VISIBLE_TIMEOUT = 30


def options():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])

    def add(flag, variable, default, kind=str, text=""):
        value = kind(os.environ.get(f"BENCH_{variable}", default))
        parser.add_argument(flag, type=kind, default=value, help=f"{text} (BENCH_{variable}, default {default})")

    add("--sizes", "SIZES", "3000,30000,100000", text="live pages of each run, comma-separated")
    add("--workers", "WORKERS", 2, int, "gunicorn sync workers")
    add("--cpus", "SERVER_CPUS", "0", text="CPUs gunicorn is pinned to (a taskset list)")
    add("--port", "PORT", 8111, int, "gunicorn's port")
    add("--database-url", "SCALE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cms_scale_{label}")
    add("--redis-url", "REDIS_URL", "redis://127.0.0.1:6379/5")
    add("--publishes", "PUBLISHES", 10, int, "publishes in a and pairs in b")
    add("--poll-ms", "POLL_MS", 10, float, "polling interval while waiting for a publish")
    add("--sample", "SAMPLE", 300, int, "random page keys warmed in c")
    add("--write-seconds", "WRITE_SECONDS", 60, int, "length of e")
    add("--write-pages", "WRITE_PAGES", 4, int, "pages published in turn in e")
    add("--readers", "READERS", 16, int, "reader threads in e")
    parser.add_argument("--reseed", action="store_true", help="drop and rebuild the databases")
    parser.add_argument("--publisher", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--render", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def label(size):
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def detail(key, locale=LOCALE):
    return f"/api/v1/pages/{key}/?locale={locale}"


# --- HTTP -----------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    x_cache: str | None
    body: bytes
    seconds: float
    received: float  # time.time(), comparable with the publisher's commit times

    @property
    def title(self):
        try:
            return json.loads(self.body).get("title")
        except ValueError:
            return None

    @property
    def marker(self):
        found = MARKER.search(self.title or "")
        return int(found.group(1)) if found else 0


def get(port, path):
    """One GET on a new connection (gunicorn's sync workers close each one)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        status, x_cache = response.status, response.getheader("X-Cache")
    except OSError as error:
        body, status, x_cache = str(error).encode(), 0, None
    finally:
        connection.close()
    return Reply(status, x_cache, body, time.perf_counter() - started, time.time())


def wait_visible(port, path, title, poll):
    """When (time.time()) an answer for ``path`` first showed ``title``; inf if none did in time."""
    deadline = time.monotonic() + VISIBLE_TIMEOUT
    while time.monotonic() < deadline:
        reply = get(port, path)
        if reply.title == title:
            return reply.received
        time.sleep(poll)
    return float("inf")


# --- The publishing process -----------------------------------------------------------


class Publisher:
    """This script run with ``--publisher``: publishes pages on request, one JSON line
    each way, and answers with the commit's time."""

    def __init__(self, environment):
        self.process = subprocess.Popen(
            [PYTHON, __file__, "--publisher"],
            cwd=ROOT,
            env=environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.marker = time.time_ns() // 1_000_000  # increases across runs too

    def send(self, **request):
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()

    def receive(self):
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError("the publisher process ended")
            if line.startswith("{"):
                return json.loads(line)

    def call(self, **request):
        self.send(**request)
        return self.receive()

    def start_publish(self, page):
        """Send a publish of ``page`` with the next marker in its title; returns (marker, title)."""
        self.marker += 1
        title = f"{MARKER.sub('', page['title'])} #{self.marker}"
        self.send(op="publish", id=page["id"], title=title)
        return self.marker, title

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


def serve_publisher():
    """The ``--publisher`` process: a Django process reading requests from stdin."""
    import django

    django.setup()
    from django.db import transaction
    from wagtail.models import Page

    committed = []
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "inventory":
            print(json.dumps(inventory()), flush=True)
            continue
        page = Page.objects.get(pk=request["id"]).specific
        page.title = request["title"]
        committed.clear()
        with transaction.atomic():
            # Registered first, so it runs first once the transaction commits.
            transaction.on_commit(lambda: committed.append(time.time()))
            page.save_revision().publish()
        print(json.dumps({"committed": committed[0], "returned": time.time()}), flush=True)


def inventory():
    """The locales, the keys of the live pages in LOCALE, and its procedure copies (id,
    key, title, parent's key, children's keys)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Locale, Page

    from pages.demo.loader import demo_key
    from pages.models import ProcedurePage

    rows = list(
        Page.objects.filter(locale__language_code=LOCALE, live=True, depth__gt=1)
        .order_by("path")
        .values("id", "translation_key", "title", "path", "content_type_id")
    )
    key_at = {row["path"]: str(row["translation_key"]) for row in rows}
    children = defaultdict(list)
    for row in rows:
        children[row["path"][: -Page.steplen]].append(str(row["translation_key"]))
    procedure_type = ContentType.objects.get_for_model(ProcedurePage).pk
    procedures = [
        {
            "id": row["id"],
            "key": str(row["translation_key"]),
            "title": row["title"],
            "parent": key_at.get(row["path"][: -Page.steplen]),
            "children": children[row["path"]],
        }
        for row in rows
        if row["content_type_id"] == procedure_type and row["translation_key"] != demo_key("microneedling")
    ]
    return {
        "live": Page.objects.live().count(),
        "locales": sorted(Locale.objects.values_list("language_code", flat=True)),
        "keys": list(key_at.values()),
        "procedures": procedures,
    }


def fresh_renders(environment, paths):
    """``{path: digest of status and body}`` from a new process with the API's cache off."""
    environment = dict(environment, REDIS_URL="", API_CACHE_ENABLED="0")
    output = subprocess.run(
        [PYTHON, __file__, "--render"],
        cwd=ROOT,
        env=environment,
        input=json.dumps(paths),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def serve_render():
    import django

    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    digests = {}
    for path in json.loads(sys.stdin.read()):
        response = client.get(path)
        digests[path] = digest(response.status_code, response.content)
    print(json.dumps(digests))


def digest(status, body):
    return f"{status}:{hashlib.blake2b(body, digest_size=16).hexdigest()}"


# --- Preparing a size -----------------------------------------------------------------


def prepare(database_url, environment, size, reseed):
    """Database ready with ``size`` live pages; returns the seeding rate (pages/s) or None."""
    created = common.create_database(database_url, drop=reseed)
    common.manage(environment, "migrate", "--no-input", "-v0")
    if created:
        common.manage(environment, "load_demo_content", "--no-accounts", "-v0")
        common.manage(environment, "fixtree", "-v0")  # the demo loader can leave child counts behind
    command = [PYTHON, "bench/bulk_seed.py", "--pages", str(size)]
    seeding = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, text=True)
    output = ""
    for line in seeding.stdout:
        print(line, end="", flush=True)
        output += line
    if seeding.wait():
        raise RuntimeError("bench/bulk_seed.py failed")
    rate = re.search(r"pages in [\d.]+s: (\d+) pages/s", output)
    return int(rate.group(1)) if rate else None


def clear_cache(redis_url, prefix):
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    for start in range(0, len(keys), 1000):
        client.unlink(*keys[start : start + 1000])


# --- Measurements ---------------------------------------------------------------------


def commit_to_visible(port, publisher, pages, poll):
    """a. Seconds from each commit to the first answer showing it."""
    latencies = []
    for page in pages:
        path = detail(page["key"])
        get(port, path)
        get(port, path)
        _marker, title = publisher.start_publish(page)
        seen = wait_visible(port, path, title, poll)
        latencies.append(seen - publisher.receive()["committed"])
    return latencies


def first_read_after_publish(port, publisher, pairs, poll):
    """b. (warm read of A, first read of A after B's publish is visible) for each pair."""
    reads = []
    for a, b in pairs:
        path = detail(a["key"])
        get(port, path)
        warm = get(port, path)
        _marker, title = publisher.start_publish(b)
        wait_visible(port, detail(b["key"]), title, poll)
        publisher.receive()
        reads.append((warm, get(port, path)))
    return reads


def invalidation(port, publisher, environment, page, paths, poll):
    """c. Which warmed answers were missed, changed, or stale after one publish."""
    for path in paths:
        get(port, path)
    before = {path: get(port, path) for path in paths}
    fresh_before = fresh_renders(environment, paths)
    _marker, title = publisher.start_publish(page)
    # Waited for on a URL of its own (another cache entry): the warmed ones are read once, after.
    wait_visible(port, detail(page["key"]) + "&fallback=true", title, poll)
    publisher.receive()
    after = {path: get(port, path) for path in paths}
    fresh_after = fresh_renders(environment, paths)
    known = any(reply.x_cache for reply in after.values())
    changed = {path for path in paths if before[path].body != after[path].body}
    missed = {path for path in paths if after[path].x_cache == "miss"}
    return {
        "warmed": len(paths),
        "changed": len(changed),
        "misses": len(missed) if known else None,
        "warm hits": sum(reply.x_cache == "hit" for reply in before.values()) if known else None,
        "missed, unchanged": sorted(missed - changed),
        "changed, not missed": sorted(changed - missed) if known else [],
        "stale": sum(digest(after[path].status, after[path].body) != fresh_after[path] for path in paths),
        "unlike a fresh render before": sum(
            digest(before[path].status, before[path].body) != fresh_before[path] for path in paths
        ),
    }


def reads_during_writes(port, publisher, pages, seconds, readers):
    """e. Reads, violations, errors and the worst lag (s) of a violating read."""
    paths = [detail(page["key"]) for page in pages]
    commits = defaultdict(list)  # page index -> [(commit time, marker)]
    reads = []
    stop = threading.Event()

    def read(offset):
        index = offset
        while not stop.is_set():
            reply = get(port, paths[index % len(paths)])
            reads.append((index % len(paths), reply.status, reply.marker, reply.received))
            index += 1

    threads = [threading.Thread(target=read, args=(offset,)) for offset in range(readers)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    for second in range(seconds):
        time.sleep(max(0.0, started + second - time.monotonic()))
        index = second % len(pages)
        marker, _title = publisher.start_publish(pages[index])
        commits[index].append((publisher.receive()["committed"], marker))
    time.sleep(2)  # the last publish must be seen too
    stop.set()
    for thread in threads:
        thread.join()
    violations, worst = 0, 0.0
    for index, status, marker, received in reads:
        due = [(committed, expected) for committed, expected in commits[index] if committed <= received - 1]
        if status == 200 and due and marker < due[-1][1]:
            violations += 1
            worst = max(worst, received - due[-1][0])
    errors = sum(status != 200 for _index, status, _marker, _received in reads)
    return {"reads": len(reads), "violations": violations, "errors": errors, "worst lag": worst}


def worker_memory(server):
    return [round(rss_mib(pid)) for pid in server.worker_pids()]


def measure_size(size, args):
    name = label(size)
    database_url = args.database_url.format(label=name)
    environment = bench_env(database_url, args.redis_url, CACHE_KEY_PREFIX=f"cms-scale-{name}")
    print(f"\n=== {size} live pages: {database_url}", flush=True)
    result = {"seed rate": prepare(database_url, environment, size, args.reseed)}
    clear_cache(args.redis_url, f"cms-scale-{name}")
    poll = args.poll_ms / 1000
    publisher = Publisher(environment)
    try:
        found = publisher.call(op="inventory")
        rng = random.Random(size)
        procedures = found["procedures"]
        rng.shuffle(procedures)
        needed = 3 * args.publishes + 1 + args.write_pages
        if len(procedures) < needed:
            raise RuntimeError(f"{len(procedures)} procedure copies; the measurements need {needed}")
        first, second = procedures[: args.publishes], procedures[args.publishes : 3 * args.publishes]
        target = procedures[3 * args.publishes]
        written = procedures[3 * args.publishes + 1 : needed]
        sample = rng.sample(found["keys"], min(args.sample, len(found["keys"])))
        paths = [detail(key, locale) for key in sample for locale in (LOCALE, OTHER_LOCALE)]
        paths += [detail(target["key"], locale) for locale in found["locales"]]
        paths += [detail(key) for key in [target["parent"], *target["children"]]]
        paths = list(dict.fromkeys([*paths, f"/api/v1/pages/?locale={LOCALE}"]))
        result["live pages"] = found["live"]
        with Gunicorn(environment, args.port, workers=args.workers, cpus=args.cpus) as server:
            for path in paths:
                get(args.port, path)
            result["rss warm"] = worker_memory(server)
            result["a"] = commit_to_visible(args.port, publisher, first, poll)
            print("a. commit to visible (ms):", " ".join(ms(seconds) for seconds in result["a"]), flush=True)
            pairs = list(zip(second[::2], second[1::2], strict=True))
            result["b"] = first_read_after_publish(args.port, publisher, pairs, poll)
            print("b. first reads of A (ms, X-Cache):", [(ms(f.seconds), f.x_cache) for _w, f in result["b"]])
            result["c"] = invalidation(args.port, publisher, environment, target, paths, poll)
            print("c. invalidation:", result["c"], flush=True)
            result["e"] = reads_during_writes(args.port, publisher, written, args.write_seconds, args.readers)
            print("e. reads during writes:", result["e"], flush=True)
            result["rss end"] = worker_memory(server)
    finally:
        publisher.close()
    return result


# --- Report ---------------------------------------------------------------------------


def ms(seconds):
    return f"{seconds * 1000:.0f}" if seconds != float("inf") else "never"


def first_read(result):
    return statistics.median(first.seconds for _warm, first in result["b"])


def summary(result, smallest):
    """The table's column for one size; ``smallest`` is the result of the smallest size."""
    a, b, c, e = result["a"], result["b"], result["c"], result["e"]
    x_cache = Counter(first.x_cache or "unknown" for _warm, first in b)
    return {
        "live pages": result["live pages"],
        "seeding (pages/s)": result["seed rate"] or "reused",
        "a. commit to visible, median (ms)": ms(statistics.median(a)),
        "a. commit to visible, max (ms)": ms(max(a)),
        "b. warm read of A, median (ms)": ms(statistics.median(warm.seconds for warm, _first in b)),
        "b. first read of A after B, median (ms)": ms(first_read(result)),
        "b.   ratio to the smallest size [<= 1.5]": f"{first_read(result) / first_read(smallest):.2f}",
        "b.   X-Cache of that read": " ".join(f"{value}:{count}" for value, count in x_cache.items()),
        "c. URLs warmed": c["warmed"],
        "c. warm reads with X-Cache: hit": "unknown" if c["warm hits"] is None else c["warm hits"],
        "c. changed after the publish": c["changed"],
        "c. X-Cache: miss after it [= changed]": "unknown" if c["misses"] is None else c["misses"],
        "c. stale (unlike a fresh render) [0]": c["stale"],
        "c.   unlike a fresh render before it [0]": c["unlike a fresh render before"],
        "d. RSS per worker after warm-up (MiB)": "/".join(map(str, result["rss warm"])),
        "d. RSS per worker at the end (MiB)": "/".join(map(str, result["rss end"])),
        "e. reads during writes": e["reads"],
        "e. violations [0]": e["violations"],
        "e. worst lag of a violation (ms)": ms(e["worst lag"]),
        "e. errors [0]": e["errors"],
    }


def report(results):
    """Print the table (a column per size, targets in brackets) and write it as JSON."""
    columns = {label(size): summary(result, results[min(results)]) for size, result in results.items()}
    lines = [f"{'':<44}" + "".join(f"{name:>16}" for name in columns)]
    for row in next(iter(columns.values())):
        lines.append(f"{row:<44}" + "".join(f"{column[row]!s:>16}" for column in columns.values()))
    print("\n" + "\n".join(lines))
    output = ROOT / "bench" / "results" / "scale.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(columns, indent=1))
    print(f"\nWritten to {output.relative_to(ROOT)}")


def main():
    args = options()
    if args.publisher:
        return serve_publisher()
    if args.render:
        return serve_render()
    results = {}
    for size in [int(size) for size in args.sizes.split(",") if size.strip()]:
        results[size] = measure_size(size, args)
        report(results)


if __name__ == "__main__":
    main()

"""A PostgreSQL restart under load: only 200s and 503s, and recovery without a worker restart.

    .venv/bin/python bench/pg_restart.py

It starts a PostgreSQL cluster of its own (``initdb`` into a temporary folder, run as the
``postgres`` user, on ``--port``, default 55432; the machine's shared server is never
touched), loads the demo into it, and serves it with gunicorn and the benchmark
settings, the response cache off so that every read needs the database. Client
processes read page details and listings for ``--seconds``; after ``--restart-after``
seconds the cluster is restarted (``pg_ctl restart -m fast``). It counts the answers
by status before, during and after the restart, checks that every 503 is a problem
document with ``Retry-After``, measures the time from the database being back to the
first 200, and compares gunicorn's worker process ids before and after. Writes
``bench/results/pg_restart.json``. Not part of the test suite.
"""

import argparse
import collections
import http.client
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, Gunicorn, bench_env, create_database, manage  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def as_postgres(*command, **kwargs):
    return subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True, **kwargs)


class PrivateCluster:
    """A throwaway PostgreSQL cluster on 127.0.0.1:``port``, owned by the postgres user."""

    def __init__(self, port):
        self.port = port
        self.folder = Path(tempfile.mkdtemp(prefix="cms-pg-restart-"))
        shutil.chown(self.folder, "postgres")
        self.data = self.folder / "data"
        self.options = f"-p {port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off"

    def __enter__(self):
        initdb = ["initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync"]
        as_postgres(*initdb, stdout=subprocess.DEVNULL)
        self.pg_ctl("start")
        return self

    def pg_ctl(self, action, *extra):
        as_postgres("pg_ctl", "-D", str(self.data), "-o", self.options, "-l", str(self.folder / "log"), "-w",
                    *extra, action, stdout=subprocess.DEVNULL)  # fmt: skip

    def __exit__(self, *exc):
        try:
            self.pg_ctl("stop", "-m", "immediate")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/cms_pg_restart"


def read_loop(port, paths, until, results):
    """One client process: read ``paths`` in turn until ``until``; (time, status, problem ok)."""
    answers = []
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    number = 0
    while time.time() < until:
        path = paths[number % len(paths)]
        number += 1
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            status = response.status
            problem = (
                status != 503
                or response.getheader("Content-Type") == "application/problem+json"
                and response.getheader("Retry-After") is not None
            )
        except (OSError, http.client.HTTPException):
            status, problem = "connection error", False
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        answers.append((time.time(), status, problem))
    results.put(answers)


def api_paths(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/api/v1/pages/?locale=en&limit=100")
    keys = [page["key"] for page in json.loads(connection.getresponse().read())["results"]]
    paths = [f"/api/v1/pages/{key}/?locale={locale}" for key in keys for locale in ("en", "fr", "de", "es")]
    return paths + ["/api/v1/pages/?locale=fr", "/api/v1/locales/"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=55432, help="Port of the private PostgreSQL cluster.")
    parser.add_argument("--http-port", type=int, default=18733)
    parser.add_argument("--clients", type=int, default=4, help="Client processes reading at once.")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--restart-after", type=float, default=6.0)
    options = parser.parse_args()

    with PrivateCluster(options.port) as cluster:
        create_database(cluster.url)
        environment = bench_env(cluster.url, API_CACHE_ENABLED="false", LOG_LEVEL="CRITICAL")
        manage(environment, "migrate", "--no-input", "-v0")
        manage(environment, "load_demo_content", "--no-accounts", "-v0")
        with Gunicorn(environment, options.http_port, workers=2, cpus="0") as server:
            paths = api_paths(options.http_port)
            workers_before = server.worker_pids()
            results = multiprocessing.Queue()
            start = time.time()
            until = start + options.seconds
            clients = [
                multiprocessing.Process(target=read_loop, args=(options.http_port, paths, until, results))
                for _number in range(options.clients)
            ]
            for client in clients:
                client.start()
            time.sleep(options.restart_after)
            restart_began = time.time()
            cluster.pg_ctl("restart", "-m", "fast")
            restart_ended = time.time()
            answers = sorted(answer for _client in clients for answer in results.get())
            for client in clients:
                client.join()
            workers_after = server.worker_pids()

    def count(rows):
        return dict(collections.Counter(str(status) for _time, status, _problem in rows))

    before = [row for row in answers if row[0] < restart_began]
    during = [row for row in answers if restart_began <= row[0] <= restart_ended]
    after = [row for row in answers if row[0] > restart_ended]
    first_ok = next((row[0] for row in after if row[1] == 200), None)
    failures_after_first_ok = [row for row in after if first_ok and row[0] >= first_ok and row[1] != 200]
    report = {
        "requests": len(answers),
        "statuses": count(answers),
        "before restart": count(before),
        "during restart": count(during),
        "after restart": count(after),
        "restart seconds": round(restart_ended - restart_began, 2),
        "database back to first 200, seconds": round(first_ok - restart_ended, 3) if first_ok else None,
        "non-200 after the first 200": len(failures_after_first_ok),
        "503s without problem+json and Retry-After": sum(1 for row in answers if not row[2] and row[1] == 503),
        "gunicorn workers unchanged": workers_before == workers_after,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "pg_restart.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    only_200_and_503 = set(report["statuses"]) <= {"200", "503"}
    healthy = only_200_and_503 and report["gunicorn workers unchanged"] and first_ok is not None
    return 0 if healthy and not report["503s without problem+json and Retry-After"] else 1


if __name__ == "__main__":
    os.chdir(ROOT)
    raise SystemExit(main())

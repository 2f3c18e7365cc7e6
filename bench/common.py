"""What the benchmark scripts share: their environment, manage.py, databases and servers.

Not a script; ``bench/run.py`` and ``bench/scale.py`` import it.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def bench_env(database_url, redis_url="", **extra):
    """The environment of a process running the benchmark settings on ``database_url``."""
    values = dict(os.environ)
    values.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database_url,
        PYTHONPATH=str(ROOT),
        REDIS_URL=redis_url,
    )
    values.update({key: str(value) for key, value in extra.items()})
    return values


def manage(environment, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=environment, check=True)


def create_database(database_url, *, drop=False):
    """Create the PostgreSQL database named by ``database_url`` (dropped first with ``drop``).

    Returns False when it already existed and was kept.
    """
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not drop:
            return False
        if exists:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return True


def wait_until_up(url, name, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{name} did not start")


def stop(process):
    """End a server a benchmark started (its own process group)."""
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


class Gunicorn:
    """gunicorn serving ``cms.wsgi`` on 127.0.0.1:``port`` with ``environment``, its sync
    workers pinned to ``cpus`` (taskset's list, e.g. "0")."""

    def __init__(self, environment, port, *, workers=2, cpus="0"):
        self.environment, self.port, self.workers, self.cpus = environment, port, workers, cpus

    def __enter__(self):
        command = ["taskset", "-c", self.cpus, PYTHON, "-m", "gunicorn", "cms.wsgi"]
        command += ["--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.environment, start_new_session=True)
        wait_until_up(f"http://127.0.0.1:{self.port}/bench/trivial/", "gunicorn")
        return self

    def __exit__(self, *exc):
        stop(self.process)

    def worker_pids(self):
        """Process ids of the workers (the children of gunicorn's master process)."""
        pids = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
            except OSError:
                continue  # ended while listed
            if fields.get("PPid", "").strip() == str(self.process.pid):
                pids.append(int(status.parent.name))
        return sorted(pids)


def rss_mib(pid):
    """Resident memory of process ``pid`` in MiB (VmRSS from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")

"""Other processes for the tests that need them: a demo database of their own, a server
(``runserver`` or gunicorn with several workers), and ``manage.py shell`` runs that
change content the way a cron job or an operator would.

The database follows the suite's: a SQLite file when the suite runs on SQLite (with the
local-memory cache, the embedded default), a fresh PostgreSQL database with the suite's
Redis when it runs on PostgreSQL.
"""

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import dj_database_url

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class DemoDatabase:
    """A migrated database holding the demo, outside the test database."""

    env: dict
    drop: callable = None

    def manage(self, *args, check=True, timeout=300):
        return subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=check,
        )

    def shell(self, code, timeout=120):
        """Run ``code`` in ``manage.py shell``; its last printed line, parsed as JSON."""
        result = self.manage("shell", "-c", code, check=False, timeout=timeout)
        if result.returncode != 0:
            raise AssertionError(f"manage.py shell failed:\n{result.stdout}\n{result.stderr}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    def start_shell(self, code):
        """Start ``code`` in ``manage.py shell`` without waiting for it."""
        return subprocess.Popen(
            [PYTHON, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )


def demo_database(tmp_path, extra_env=None):
    """A new database with the demo, on the suite's kind of database (``extra_env``: e.g. its storage)."""
    database = migrated_database(tmp_path, extra_env)
    database.manage("load_demo_content", "--no-accounts", "-v0")
    return database


def migrated_database(tmp_path, extra_env=None):
    """A new, migrated database without content, on the suite's kind of database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "API_CHANGE_POLL_SECONDS": "0.2",
        **(extra_env or {}),
    }
    env.pop("API_CACHE_ENABLED", None)
    suite_url = os.environ.get("DATABASE_URL", "")
    drop = None
    if suite_url.startswith("postgres"):
        config = dj_database_url.parse(suite_url)
        name = f"cms_processes_{secrets.token_hex(4)}"
        admin = _postgres_admin(config)
        admin(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = suite_url.rsplit("/", 1)[0] + f"/{name}"
        env["CACHE_KEY_PREFIX"] = name  # the suite's Redis, keys of our own
        drop = lambda: admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # noqa: E731
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
        env.pop("REDIS_URL", None)
    database = DemoDatabase(env=env, drop=drop)
    database.manage("migrate", "--no-input", "-v0")
    return database


def _postgres_admin(config):
    import psycopg

    def run(sql):
        with psycopg.connect(
            host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"], dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(sql)

    return run


@dataclass
class Server:
    """A serving process (or several gunicorn workers) on 127.0.0.1."""

    process: subprocess.Popen
    port: int
    log: Path
    headers: dict = field(default_factory=dict)

    def get(self, path, **headers):
        """``(status, headers, body)``; never raises for an HTTP error status."""
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", headers={**self.headers, **headers})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def json(self, path, **headers):
        status, _headers, body = self.get(path, **headers)
        return status, json.loads(body) if body else None

    def stop(self):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)


def start_server(database, kind, log_dir, workers=2):
    """``kind`` is "runserver" or "gunicorn" (``workers`` sync workers)."""
    port = free_port()
    if kind == "runserver":
        command = [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    else:
        command = [PYTHON, "-m", "gunicorn", "cms.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}", "-t", "60"]
    log = log_dir / f"{kind}-{port}.log"
    process = subprocess.Popen(
        command, cwd=ROOT, env=database.env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )
    server = Server(process, port, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{kind} stopped:\n{log.read_text()}")
        with contextlib.suppress(OSError):
            if server.get("/api/v1/locales/")[0] == 200:
                return server
        time.sleep(0.2)
    server.stop()
    raise AssertionError(f"{kind} did not answer within 60 s:\n{log.read_text()}")

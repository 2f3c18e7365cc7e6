"""The whole production stack started for real on 127.0.0.1, checked end to end (`make prod-smoke`).

It starts, each of its own: a PostgreSQL database on the server named by
``SMOKE_DATABASE_URL`` (created, then dropped), a redis-server on a free port (the cache
and the task queue), an S3 server (SeaweedFS, as the test suite starts it:
``tests/s3server.py``) holding the media, gunicorn with two workers under
``cms.settings.production`` (``deploy/gunicorn.conf.py``, metrics in multiprocess mode),
the RQ worker, a webhook receiver and a plain HTTP cache (the ``http`` purge backend) as
local receivers. Then:

1. migrate, collect static files, load the demo;
2. an admin signs in over HTTP and publishes a new title for the procedure index,
   through the page editor's own form;
3. within ``BOUND_SECONDS``: the API serves the new title, the receiver gets a webhook
   whose Standard Webhooks signature verifies, the HTTP cache gets PURGE requests, the
   sync feed carries the change, and ``/readyz`` is 200 with every check ok, storage
   included;
4. the demo's image: the API's rendition URLs name the bucket, and an anonymous GET of
   each gives the image;
5. Redis is stopped: reads still answer and ``/readyz`` is 503 naming the cache;
   Redis is started again: ``/readyz`` comes back to 200 and reads are cached again;
6. the S3 server is stopped: ``/readyz`` is 503 naming the storage; started again on
   the same ports and data: ``/readyz`` comes back to 200;
7. ``/metrics`` adds up both workers' requests and counts the webhook the RQ worker
   delivered, and the logs hold neither the API key, the webhook secret nor the
   storage's secret key.

Exits 0 when every check passed, 1 with the failing check otherwise; every process it
started is stopped either way.
"""

import contextlib
import io
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import requests
from PIL import Image
from standardwebhooks import Webhook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.s3server import MEDIA_BUCKET, start_s3_server  # noqa: E402 - the suite's S3 server, after the path

PYTHON = sys.executable
BOUND_SECONDS = 20
ADMIN_PASSWORD = "smoke-" + secrets.token_urlsafe(12)
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cms_smoke"


class SmokeFailure(AssertionError):
    pass


_STARTED = time.monotonic()


def step(text):
    print(f"-- [{time.monotonic() - _STARTED:5.1f} s] {text}", flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(what, check, seconds=BOUND_SECONDS, interval=0.2):
    """``check()``'s first truthy answer within ``seconds``; SmokeFailure naming ``what`` otherwise."""
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        try:
            result = check()
        except (requests.RequestException, OSError, ValueError, KeyError) as error:
            result, last = None, error
        if result:
            return result
        time.sleep(interval)
    raise SmokeFailure(f"{what}: not within {seconds} s" + (f" (last error: {last})" if last else ""))


class Receiver:
    """An HTTP server on 127.0.0.1 recording every request: the webhook receiver, the HTTP cache."""

    def __init__(self):
        self.requests = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def record(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.requests.append(
                    {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
                )
                self.send_response(204)
                self.end_headers()

            do_POST = do_PURGE = record

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class FormFields(HTMLParser):
    """The fields a browser would submit from the form with id ``form_id``."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields = []
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag not in ("option",):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
        elif tag == "select":
            self._select = {"name": attrs["name"], "first": None, "chosen": [], "multiple": "multiple" in attrs}
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attrs:
                self._select["chosen"].append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = self._select["chosen"]
            if not chosen and not self._select["multiple"] and self._select["first"] is not None:
                chosen = [self._select["first"]]
            self.fields.extend((self._select["name"], value) for value in chosen)
            self._select = None


class AdminSession:
    """A signed-in browser, as nginx would pass it on: HTTPS said by X-Forwarded-Proto.

    The session and CSRF cookies are Secure, so they are kept here and sent by hand.
    """

    def __init__(self, base):
        self.base = base
        self.host = urlsplit(base).netloc
        self.cookies = {}

    def request(self, method, path, **kwargs):
        headers = {"X-Forwarded-Proto": "https", "Referer": f"https://{self.host}{path}", **kwargs.pop("headers", {})}
        response = requests.request(
            method, self.base + path, headers=headers, cookies=self.cookies, allow_redirects=False, timeout=30, **kwargs
        )
        self.cookies.update({cookie.name: cookie.value for cookie in response.cookies})
        return response

    def form(self, path, form_id):
        response = self.request("GET", path)
        if response.status_code != 200:
            raise SmokeFailure(f"GET {path}: {response.status_code}")
        parser = FormFields(form_id)
        parser.feed(response.text)
        if not parser.fields:
            raise SmokeFailure(f"GET {path}: no form #{form_id}")
        return parser.fields

    def sign_in(self, username, password):
        fields = dict(self._login_fields())
        fields.update(username=username, password=password)
        response = self.request("POST", "/admin/login/", data=fields)
        if response.status_code != 302:
            raise SmokeFailure(f"admin sign-in answered {response.status_code}")

    def _login_fields(self):
        response = self.request("GET", "/admin/login/")
        parser = FormFields(None)
        parser.inside = True  # the login page has one form
        parser.feed(response.text)
        return parser.fields


class Stack:
    """Every process and folder of the smoke run, stopped and removed at the end."""

    def __init__(self, workdir):
        self.workdir = Path(workdir)
        self.processes = {}
        self.logs = {}
        self.web_port = free_port()
        self.redis_port = free_port()
        self.database_url = os.environ.get("SMOKE_DATABASE_URL", DEFAULT_DATABASE_URL)
        self.database = self.database_url.rsplit("/", 1)[1]
        self.webhooks = Receiver()
        self.cdn = Receiver()
        self.metrics_token = secrets.token_urlsafe(24)
        self.s3 = None
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/tmp"),
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "TASKS_BACKEND": "rq",
            "STATIC_ROOT": str(self.workdir / "static"),
            "MEDIA_ROOT": str(self.workdir / "media"),
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{self.web_port}",
            "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{self.web_port}",
            "WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
            "FRONTEND_CACHE_BACKEND": "http",
            "FRONTEND_CACHE_LOCATION": self.cdn.url,
            "METRICS_TOKEN": self.metrics_token,
            "DEMO_PASSWORD": ADMIN_PASSWORD,
            "WEB_CONCURRENCY": "2",
            "GUNICORN_BIND": f"127.0.0.1:{self.web_port}",
        }

    # --- processes ------------------------------------------------------------------------

    def start(self, name, command, **env):
        log = self.workdir / f"{name}.log"
        self.logs[name] = log
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**self.env, **env},
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self.processes[name]

    def stop(self, name):
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def manage(self, *args, timeout=300, **env):
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise SmokeFailure(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def shell(self, code):
        return json.loads(self.manage("shell", "-c", code).strip().splitlines()[-1])

    def start_redis(self):
        self.start(
            "redis",
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        )
        wait_for("redis-server answers", lambda: socket.create_connection(("127.0.0.1", self.redis_port), 0.2), 10)

    def create_database(self):
        self._postgres(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        self._postgres(f'CREATE DATABASE "{self.database}"')

    def drop_database(self):
        with contextlib.suppress(psycopg.Error):
            self._postgres(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def _postgres(self, sql):
        parts = urlsplit(self.database_url)
        admin_url = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(sql)

    def start_services(self):
        """The services the application needs: PostgreSQL (a database of its own) and Redis."""
        self.create_database()
        self.start_redis()
        # Media on S3, configured as the README says (AWS_STORAGE_BUCKET_NAME and the rest).
        self.s3 = start_s3_server(self.workdir / "s3")
        self.logs["s3"] = self.s3.log
        self.env.update(self.s3.env())

    def close(self):
        for name in list(self.processes):
            self.stop(name)
        if self.s3 is not None:
            self.s3.stop()
        self.webhooks.close()
        self.cdn.close()
        self.drop_database()

    # --- HTTP -------------------------------------------------------------------------------

    def get(self, path, **headers):
        return requests.get(
            f"http://127.0.0.1:{self.web_port}{path}", headers={"X-Forwarded-Proto": "https", **headers}, timeout=10
        )


def run(stack):
    step("services: PostgreSQL database, private redis-server, S3 server")
    stack.start_services()

    step("migrate, collectstatic and the demo (collectstatic in parallel)")
    collect = subprocess.Popen(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=stack.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    stack.manage("migrate", "--no-input", "-v0")
    step("the demo")
    # Loading publishes every page: in-process and without purges, so that the worker
    # does not start behind a queue of a thousand purges nobody needs.
    stack.manage("load_demo_content", "-v0", TASKS_BACKEND="immediate", FRONTEND_CACHE_BACKEND="")
    if collect.wait(timeout=300) != 0:
        raise SmokeFailure(f"collectstatic failed: {collect.stderr.read().decode()}")
    api_key = stack.manage("create_api_key", "--name", "smoke", "--scope", "export").strip()
    hook_secret = stack.shell(
        "import json; from cms.delivery.models import WebhookEndpoint;"
        f"hook = WebhookEndpoint.objects.create(name='Smoke receiver', url='{stack.webhooks.url}/hook',"
        " events=['page.published'], locales=['en']); print(json.dumps(hook.secret))"
    )
    index = stack.shell(
        "import json; from pages.models import ProcedureIndexPage, ProcedurePage;"
        "page = ProcedureIndexPage.objects.get(locale__language_code='en');"
        "illustrated = ProcedurePage.objects.filter(locale__language_code='en', hero_image__isnull=False).first();"
        "print(json.dumps({'id': page.pk, 'key': str(page.translation_key), 'title': page.title,"
        " 'illustrated': str(illustrated.translation_key)}))"
    )

    step("gunicorn (2 workers, production settings) and the RQ worker")
    # Only the long-running processes share the metrics folder (cron commands would
    # leave a file per run); gunicorn empties it as it starts, so the worker comes after.
    metrics_dir = str(stack.workdir / "metrics")
    stack.start(
        "web",
        [PYTHON, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "cms.wsgi"],
        PROMETHEUS_MULTIPROC_DIR=metrics_dir,
    )
    wait_for("/readyz is 200", lambda: stack.get("/readyz").status_code == 200, 60)
    stack.start(
        "worker",
        [PYTHON, "manage.py", "rqworker", "default", "--job-class", "django_tasks_rq.Job",
         "--worker-class", "rq.worker.SimpleWorker"],
    )  # fmt: skip
    feed = stack.get("/api/v1/sync/?locale=en", Authorization=f"Api-Key {api_key}").json()
    while feed["has_more"]:
        feed = stack.get(feed["next"].split(str(stack.web_port), 1)[1], Authorization=f"Api-Key {api_key}").json()
    cursor = feed["cursor"]

    step("an admin publishes a new title through the page editor")
    admin = AdminSession(f"http://127.0.0.1:{stack.web_port}")
    admin.sign_in("admin", ADMIN_PASSWORD)
    edit_path = f"/admin/pages/{index['id']}/edit/"
    new_title = f"{index['title']} ({secrets.token_hex(3)})"
    fields = [(name, value) for name, value in admin.form(edit_path, "page-edit-form") if name != "title"]
    fields += [("title", new_title), ("action-publish", "action-publish")]
    published = admin.request("POST", edit_path, data=fields)
    if published.status_code != 302:
        raise SmokeFailure(f"publishing through the editor answered {published.status_code}:\n{published.text[:2000]}")
    started = time.monotonic()

    step(f"within {BOUND_SECONDS} s: API, webhook, CDN purge, sync feed, readiness")
    detail = f"/api/v1/pages/{index['key']}/?locale=en"
    wait_for("the API serves the new title", lambda: stack.get(detail).json()["title"] == new_title)

    def signed_webhook():
        for request in stack.webhooks.requests:
            payload = Webhook(hook_secret).verify(request["body"], request["headers"])
            if payload["key"] == index["key"] and payload["event"] == "page.published":
                return payload
        return None

    wait_for("a webhook with a valid Standard Webhooks signature", signed_webhook)
    wait_for(
        "the HTTP cache is asked to PURGE the page",
        lambda: any(r["method"] == "PURGE" and index["key"] in r["path"] for r in stack.cdn.requests),
    )
    wait_for(
        "the sync feed carries the change",
        lambda: any(
            page["title"] == new_title
            for page in stack.get(
                f"/api/v1/sync/?locale=en&cursor={cursor}", Authorization=f"Api-Key {api_key}"
            ).json()["upserts"]
        ),
    )
    wait_for("/readyz is 200", lambda: stack.get("/readyz").status_code == 200)
    print(f"   all seen {time.monotonic() - started:.1f} s after the publish", flush=True)
    checks = stack.get("/readyz").json()["checks"]
    if checks != {"database": "ok", "cache": "ok", "task_queue": "ok", "storage": "ok"}:
        raise SmokeFailure(f"/readyz does not report every check, storage included, as ok: {checks}")

    step("media on S3: the API's image URLs name the bucket, and anyone can fetch them")
    illustrated = f"/api/v1/pages/{index['illustrated']}/?locale=en"
    check_renditions(stack, stack.get(illustrated).json())

    step("Redis stops: reads go on, /readyz is 503 naming the cache")
    stack.stop("redis")

    def not_ready_naming_cache():
        response = stack.get("/readyz")
        problem = response.json() if response.headers["Content-Type"].startswith("application/problem+json") else {}
        return response.status_code == 503 and "cache" in problem.get("failed", ()) and problem

    wait_for("/readyz says 503, a problem document naming the cache", not_ready_naming_cache)
    for _ in range(6):  # both workers, whichever answers
        response = stack.get(detail)
        if response.status_code != 200 or response.json()["title"] != new_title:
            raise SmokeFailure(f"a read failed while Redis was down: {response.status_code}")

    step("Redis starts again: ready, and reads are cached again")
    stack.start_redis()
    wait_for("/readyz is 200 again", lambda: stack.get("/readyz").status_code == 200)
    wait_for("reads come from the cache again", lambda: stack.get(detail).headers.get("X-Cache") == "hit")

    step("the S3 server stops: /readyz is 503 naming the storage; it starts again: ready")
    stack.s3.stop()

    def not_ready_naming_storage():
        response = stack.get("/readyz")
        problem = response.json() if response.headers["Content-Type"].startswith("application/problem+json") else {}
        return response.status_code == 503 and problem.get("failed") == ["storage"] and problem

    wait_for("/readyz says 503, a problem document naming the storage (only)", not_ready_naming_storage)
    if stack.get(illustrated).status_code != 200:
        raise SmokeFailure("a page with an image could not be read while the storage was down")
    stack.s3.start()
    wait_for("/readyz is 200 again", lambda: stack.get("/readyz").status_code == 200)
    check_renditions(stack, stack.get(illustrated).json())

    step("metrics add up both workers and count the worker's webhook; no secret in the logs")
    requests_seen = sum(1 for r in [stack.get(detail) for _ in range(10)] if r.status_code == 200)
    metrics = stack.get("/metrics", Authorization=f"Bearer {stack.metrics_token}")
    if metrics.status_code != 200 or stack.get("/metrics").status_code != 401:
        raise SmokeFailure("/metrics is not guarded by its token")
    total = sum(
        float(line.rsplit(" ", 1)[1])
        for line in metrics.text.splitlines()
        if line.startswith("cms_http_requests_total{") and 'route="/api/v1/pages/<str:key>/"' in line
    )
    if total < requests_seen:
        raise SmokeFailure(f"/metrics counts {total} detail reads, fewer than the {requests_seen} just made")
    # The webhook was sent by the RQ worker, a process /metrics is not served from.
    delivered = stack.shell(
        "import json; from cms.delivery.models import WebhookDelivery;"
        "print(json.dumps(WebhookDelivery.objects.filter(status='delivered').count()))"
    )
    counted = [
        float(line.rsplit(" ", 1)[1])
        for line in metrics.text.splitlines()
        if line.startswith('cms_webhook_attempts_total{outcome="delivered"}')
    ]
    if not delivered or counted != [delivered]:
        raise SmokeFailure(f"/metrics counts {counted} delivered webhooks, the delivery log {delivered}")
    logs = "".join(log.read_text(errors="replace") for log in stack.logs.values())
    for secret in (api_key.split(".", 1)[1], hook_secret.removeprefix("whsec_"), ADMIN_PASSWORD, stack.s3.secret_key):
        if secret in logs:
            raise SmokeFailure("a secret was written to the logs")
    if '"event": "request"' not in logs:
        raise SmokeFailure("the server wrote no JSON request lines")


def check_renditions(stack, page):
    """Every rendition of ``page``'s hero image is a plain URL in the media bucket that an
    anonymous client gets as an image of the size the API states."""
    renditions = (page["content"].get("hero_image") or {}).get("renditions") or {}
    if not renditions:
        raise SmokeFailure(f"{page['title']}: the API names no rendition of its image")
    bucket_url = f"{stack.s3.endpoint}/{MEDIA_BUCKET}/media/images/"
    for rendition in renditions.values():
        if not rendition["url"].startswith(bucket_url):
            raise SmokeFailure(f"a rendition URL is not in the media bucket ({bucket_url}): {rendition['url']}")
        response = requests.get(rendition["url"], timeout=10)
        if response.status_code != 200:
            raise SmokeFailure(f"GET {rendition['url']} without credentials: {response.status_code}")
        size = Image.open(io.BytesIO(response.content)).size
        if size != (rendition["width"], rendition["height"]):
            raise SmokeFailure(f"{rendition['url']} is {size}, the API says {rendition['width']}x{rendition['height']}")


def main():
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="cms-smoke-") as workdir:
        stack = Stack(workdir)
        try:
            run(stack)
        except SmokeFailure as failure:
            print(f"FAILED: {failure}", file=sys.stderr)
            for name, log in stack.logs.items():
                print(f"--- last lines of {name}.log", file=sys.stderr)
                print("\n".join(log.read_text(errors="replace").splitlines()[-25:]), file=sys.stderr)
            return 1
        finally:
            stack.close()
    print(f"prod-smoke passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Sentry: with SENTRY_DSN set, a real error reaches the DSN's server, without secrets."""

import gzip
import json
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.processes import PYTHON, ROOT

API_KEY = "0a1b2c3d.Sup3rSecretKeyMaterial_abcdefghijklmnopqrstu"
SIGNING_SECRET = "whsec_c2lnbmluZy1zZWNyZXQtZm9yLXNlbnRyeQ=="

# A second process starts Django with SENTRY_DSN set, as gunicorn would, and has a view
# fail for real while serving a request that carries an API key.
SCRIPT = f"""
import django
django.setup()
from wsgiref.util import setup_testing_defaults
import sentry_sdk
from django.core.wsgi import get_wsgi_application
from cms.ops import probes

def broken():
    raise RuntimeError("delivery failed for secret {SIGNING_SECRET}")

probes.live_response = broken
environ = {{"PATH_INFO": "/healthz", "HTTP_X_API_KEY": "{API_KEY}", "HTTP_AUTHORIZATION": "Api-Key {API_KEY}"}}
setup_testing_defaults(environ)
statuses = []
b"".join(get_wsgi_application()(environ, lambda status, headers, *rest: statuses.append(status)))
assert statuses == ["500 Internal Server Error"], statuses
sentry_sdk.flush(timeout=10)
"""


class Ingest:
    """A stand-in for Sentry's ingest endpoint on 127.0.0.1: it keeps every envelope."""

    def __init__(self):
        self.envelopes = []
        ingest = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                ingest.envelopes.append((self.path, body))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_an_error_is_reported_to_the_sentry_dsn_without_keys_or_secrets(tmp_path):
    ingest = Ingest()
    try:
        env = {
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
            "SENTRY_DSN": f"http://publickey@127.0.0.1:{ingest.port}/42",
            "SENTRY_TRACES_SAMPLE_RATE": "1.0",
        }
        result = subprocess.run([PYTHON, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
    finally:
        ingest.close()
    assert ingest.envelopes and all(path == "/api/42/envelope/" for path, _body in ingest.envelopes)
    items = [
        json.loads(line)
        for _path, body in ingest.envelopes
        for line in body.decode().splitlines()
        if line.startswith("{")
    ]
    errors = [item for item in items if item.get("exception")]
    (error,) = errors
    (exception,) = error["exception"]["values"]
    assert exception["type"] == "RuntimeError"
    assert "delivery failed for secret" in exception["value"]
    assert error["request"]["url"].endswith("/healthz")
    assert any(item.get("type") == "transaction" for item in items)  # traces too
    everything = b"".join(body for _path, body in ingest.envelopes).decode()
    assert "Sup3rSecretKeyMaterial" not in everything
    assert "c2lnbmluZy1zZWNyZXQ" not in everything

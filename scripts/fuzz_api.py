"""schemathesis against a live server, from outside, with every check on.

Why: the suite fuzzes the API in-process (tests/api/test_schema.py); this runs the
schemathesis command line against gunicorn with production settings, the way a
hostile or careless client meets the API, once anonymously and once with a key that
holds every scope but ``delivery`` (a delivery key holds that scope alone). Any failure
of any check fails the run. It takes minutes, so it is ``make fuzz``, not part of the suite.

    .venv/bin/python scripts/fuzz_api.py --examples 100

It makes its own SQLite database with the demo in a temporary folder (or uses
``--database-url``, which must name an empty database), serves it on a free port, and
stops the server it started when done.
"""

import argparse
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def wait_until_up(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own server on 127.0.0.1
                return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"The server did not answer {url} within {seconds} s.")


def fuzz(base, examples, folder, headers=()):
    command = [
        str(BIN / "schemathesis"), "run", f"{base}/api/v1/schema/", "--url", base, "--checks", "all",
        "--max-examples", str(examples), "--generation-allow-x00", "false", "--no-color",
    ]  # fmt: skip
    for header in headers:
        command += ["--header", header]
    # In the temporary folder: schemathesis keeps its cache beside it, not in the project.
    return subprocess.run(command, cwd=folder, check=False).returncode


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=50, help="Examples per operation and phase (default 50).")
    parser.add_argument("--database-url", help="An empty database to use instead of a temporary SQLite file.")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="cms-fuzz-") as folder:
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": options.database_url or f"sqlite:///{folder}/fuzz.sqlite3",
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_ROOT": f"{folder}/static",
            "MEDIA_ROOT": f"{folder}/media",
            "LOG_LEVEL": "ERROR",
            # Every request must reach the API's own checks, not the rate limit.
            "API_ANON_THROTTLE_RATE": "",
            "API_KEY_THROTTLE_RATE": "",
            "API_DELIVERY_KEY_THROTTLE_RATE": "",
        }
        env.pop("REDIS_URL", None)
        print("Preparing the demo database…", flush=True)
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "load_demo_content", "--no-accounts", "-v0")
        key = manage(env, "create_api_key", "--name", "fuzz", "--scope", "preview", "--scope", "translation",
                     "--scope", "export").strip().splitlines()[-1]  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "cms.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
            cwd=ROOT,
            env=env,
        )
        try:
            wait_until_up(f"{base}/api/v1/locales/")
            print("== Anonymous", flush=True)
            anonymous = fuzz(base, options.examples, folder)
            print("== With a key holding every scope but delivery", flush=True)
            keyed = fuzz(base, options.examples, folder, headers=[f"Authorization: Api-Key {key}"])
        finally:
            server.terminate()
            server.wait(timeout=30)
    failed = [name for name, code in (("anonymous", anonymous), ("with a key", keyed)) if code]
    print("schemathesis: " + (f"failures {', '.join(failed)}." if failed else "no failures, anonymous and with a key."))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

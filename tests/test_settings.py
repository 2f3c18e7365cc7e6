"""The project's plumbing: migrations in step, production settings safe and strict."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "SECRET_KEY": "k3Jx9vQ2mZ8pL5rT1wY7bN4cF6hD0sG2aE8uI3oP9yR5tV1qW7zX4",
    "ALLOWED_HOSTS": "clinic.example.com",
    "DATABASE_URL": "sqlite:///:memory:",
}


def manage(*args, env):
    clean = {key: value for key, value in os.environ.items() if key not in PRODUCTION_ENV and key != "CMS_LOCALES"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_production_settings_pass_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_settings_refuse_to_start_without_a_secret(missing):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert f"{missing} must be set in the environment for production settings." in result.stderr


def test_an_unknown_locale_in_the_environment_is_a_clear_error():
    result = manage("check", env={"DJANGO_SETTINGS_MODULE": "cms.settings.dev", "CMS_LOCALES": "en,xx"})
    assert result.returncode != 0
    assert "CMS_LOCALES names unknown locale(s) xx" in result.stderr


# Requests to the production settings' own stack, in a process of their own: none needs
# the database, so no migration is run.
PRODUCTION_PROBE = """
import json
import django

django.setup()
from django.conf import settings
from django.test import Client

https = Client(HTTP_HOST="clinic.example.com", HTTP_X_FORWARDED_PROTO="https")
responses = {
    "plain http": Client(HTTP_HOST="clinic.example.com").get("/api/v1/locales/"),
    "api": https.get("/api/v1/schema/"),
    "admin": https.get("/admin/"),
    "docs": https.get("/api/v1/docs/", {"script": ""}),
}
print(json.dumps({
    "responses": {name: {"status": r.status_code, **dict(r.items())} for name, r in responses.items()},
    "lockout": {
        "cool_off_seconds": settings.AXES_COOLOFF_TIME.total_seconds(),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "exempt": [settings.AXES_WHITELIST_CALLABLE, settings.AXES_IP_WHITELIST, settings.AXES_NEVER_LOCKOUT_WHITELIST],
    },
}))
"""


def test_production_sends_its_security_headers_and_locks_out_everyone():
    env = {**PRODUCTION_ENV, "ADMIN_LOGIN_COOLOFF_MINUTES": "30", "PYTHONPATH": str(ROOT)}
    clean = {key: value for key, value in os.environ.items() if key not in PRODUCTION_ENV}
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    responses = probe["responses"]

    assert responses["plain http"]["status"] == 301
    assert responses["plain http"]["Location"] == "https://clinic.example.com/api/v1/locales/"
    for name in ("api", "admin", "docs"):
        headers = responses[name]
        assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains", name
        assert headers["X-Content-Type-Options"] == "nosniff", name
        assert headers["Referrer-Policy"] == "same-origin", name
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin", name
    policies = {
        name: dict(part.split(" ", 1) for part in responses[name]["Content-Security-Policy"].split("; "))
        for name in ("api", "admin", "docs")
    }
    assert policies["api"]["default-src"] == "'none'" and policies["api"]["frame-ancestors"] == "'none'"
    assert policies["docs"]["script-src"] == "'self'" and policies["docs"]["default-src"] == "'none'"
    assert policies["admin"]["script-src"] == "'self' 'unsafe-inline'" and policies["admin"]["object-src"] == "'none'"
    assert responses["admin"]["status"] == 302  # to the sign-in page

    assert probe["lockout"] == {"cool_off_seconds": 1800.0, "failure_limit": 5, "exempt": [None, None, False]}

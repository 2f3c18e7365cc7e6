"""The project's plumbing: migrations in step, production settings safe and strict."""

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

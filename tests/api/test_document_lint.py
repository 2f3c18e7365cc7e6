"""The published document passes the linters front-end developers run on it.

Redocly CLI (its recommended rules, ``redocly.yaml``) and Spectral (``spectral:oas``,
``.spectral.yaml``) come from the npm registry at the versions pinned in
``package-lock.json``; ``make node-deps`` (``npm ci``) installs them into
``node_modules/``. Both must report no error.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / "node_modules" / ".bin"


@pytest.fixture(scope="module")
def document_file(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.test import Client

    with django_db_blocker.unblock():
        document = yaml.safe_load(Client().get("/api/v1/schema/").content)
    path = tmp_path_factory.mktemp("openapi") / "openapi.json"
    path.write_text(json.dumps(document))
    return path


def run(tool, *args):
    executable = BIN / tool
    if not executable.exists():
        pytest.fail(f"{executable} is missing: run `make node-deps` (npm ci) first.")
    env = {**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true", "NO_COLOR": "1"}
    return subprocess.run(
        [str(executable), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_the_document_is_openapi_3_1(document_file):
    assert json.loads(document_file.read_text())["openapi"].startswith("3.1")


def test_redocly_recommended_rules_find_no_error(document_file):
    result = run("redocly", "lint", str(document_file), "--config", str(ROOT / "redocly.yaml"), "--format", "json")
    report = json.loads(result.stdout)
    errors = [problem for problem in report["problems"] if problem["severity"] == "error"]
    assert result.returncode == 0 and not errors, json.dumps(errors, indent=1)[:5000] or result.stderr


def test_spectral_oas_rules_find_no_error(document_file):
    result = run(
        "spectral",
        "lint",
        str(document_file),
        "--ruleset",
        str(ROOT / ".spectral.yaml"),
        "--format",
        "json",
        "--fail-severity",
        "error",
    )
    problems = json.loads(result.stdout or "[]")
    errors = [problem for problem in problems if problem["severity"] == 0]
    assert result.returncode == 0 and not errors, json.dumps(errors, indent=1)[:5000] or result.stderr

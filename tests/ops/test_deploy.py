"""deploy/: the recipe names commands that exist, gunicorn accepts its config, and the
README documents every variable the code reads."""

import re
import subprocess
from importlib.util import find_spec
from pathlib import Path

from django.core.management import get_commands

from tests.processes import PYTHON, ROOT

DEPLOY = ROOT / "deploy"
# Where the application reads its environment.
SOURCES = [
    *sorted((ROOT / "cms" / "settings").glob("*.py")),
    *sorted((ROOT / "cms" / "ops").glob("*.py")),
    ROOT / "cms/delivery/cdn_settings.py",
    DEPLOY / "gunicorn.conf.py",
]
_READ = re.compile(
    r"""(?:environ(?:\.get)?\(|environ\[|env_list\(|env_bool\(|_require\(environ, backend, )["']([A-Z][A-Z0-9_]+)["']"""
)


def test_every_variable_the_code_reads_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    names = {name for source in SOURCES for name in _READ.findall(source.read_text())}
    assert {"SECRET_KEY", "METRICS_TOKEN", "SENTRY_DSN", "SYNC_CURSOR_MIN_DAYS", "WEB_CONCURRENCY"} <= names
    assert sorted(name for name in names if f"`{name}`" not in readme) == []


def test_the_recipe_runs_only_commands_that_exist():
    texts = [(DEPLOY / "cron" / "cms").read_text(), (DEPLOY / "Procfile").read_text()]
    texts += [unit.read_text() for unit in (DEPLOY / "systemd").glob("*.service")]
    named = {match for text in texts for match in re.findall(r"(?:manage\.py|cms-manage) ([a-z_]+)", text)}
    assert {"publish_scheduled", "send_due_webhooks", "prune", "rqworker", "migrate"} <= named
    # rqworker comes with django-rq, installed only with TASKS_BACKEND=rq.
    commands = set(get_commands()) | ({"rqworker"} if find_spec("django_rq.management.commands.rqworker") else set())
    assert named - commands == set()


def test_gunicorn_accepts_the_config_under_production_settings(tmp_path):
    env = {
        "PATH": str(Path(PYTHON).parent) + ":/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "k3Jx9vQ2mZ8pL5rT1wY7bN4cF6hD0sG2aE8uI3oP9yR5tV1qW7zX4",
        "ALLOWED_HOSTS": "clinic.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
    }
    result = subprocess.run(
        [PYTHON, "-m", "gunicorn", "--check-config", "-c", "deploy/gunicorn.conf.py", "cms.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr

"""Playwright against Debian's chromium, a live Django server, and screenshots of failures.

The browser is the system's ``/usr/bin/chromium`` (``make browser-deps`` installs it from
Debian packages); Playwright's own browser downloads are never used. A failing test
leaves a screenshot and the page's HTML in ``test-artifacts/``.
"""

import os
from pathlib import Path

import pytest

from tests.editor.conftest import clinic  # noqa: F401 - the same small clinic site as the editor tests

# The live server thread and the test share the ORM from synchronous code that
# Playwright's event loop makes look asynchronous to Django's guard.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"No chromium at {CHROMIUM}: run `make browser-deps` (apt-get install chromium).")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # English admin screens, whatever the machine's locale, so labels are predictable.
    return {**browser_context_args, "locale": "en-GB", "viewport": {"width": 1400, "height": 1000}}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On failure, save every open page of the test: a screenshot and its HTML."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    pages = [value for value in item.funcargs.values() if hasattr(value, "screenshot")]
    for session in item.funcargs.values():
        pages += list(getattr(session, "open_pages", ()))
    ARTIFACTS.mkdir(exist_ok=True)
    for number, page in enumerate(dict.fromkeys(pages)):
        stem = ARTIFACTS / f"{item.name}-{number}"
        try:
            page.screenshot(path=f"{stem}.png", full_page=True)
            Path(f"{stem}.html").write_text(page.content(), encoding="utf-8")
        except Exception as exc:  # a closed page cannot be captured; say so, do not hide the failure
            Path(f"{stem}.txt").write_text(f"Could not capture {page.url}: {exc}", encoding="utf-8")

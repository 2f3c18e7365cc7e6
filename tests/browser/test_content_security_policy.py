"""The Content-Security-Policy (cms.security.csp) in a real browser: the admin's
dashboard, a page's edit view, wagtail-localize's translation editor and the API docs
all work under their policies, and the browser reports no violation on any of them.

The admin runs on a live server (its pages write sessions and more as they load)."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect
from wagtail.models import Locale

from tests.editor.conftest import PASSWORD
from tests.translation.conftest import build_procedure, translate

from .conftest import watch_csp_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def signed_in_browser(chromium, clinic, live_server):
    """A browser page signed in as an administrator through the sign-in page."""
    get_user_model().objects.create_superuser("admin", "admin@example-clinic.com", PASSWORD)
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.violations = watch_csp_violations(page)
    page.goto("/admin/login/")
    page.locator("input[name=username]").fill("admin")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    yield page
    context.close()


def visit(page, path):
    response = page.goto(path)
    page.wait_for_load_state("networkidle")
    assert response.status == 200, path
    return response.headers["content-security-policy"]


def test_admin_and_docs_report_no_policy_violation(signed_in_browser, clinic):
    page = signed_in_browser
    procedure = build_procedure(clinic.index)
    french = translate(procedure, Locale.objects.get(language_code="fr"), publish=False)

    policy = visit(page, "/admin/")
    expect(page.get_by_role("heading", name="Site summary")).to_be_visible()
    assert "script-src 'self' 'unsafe-inline'" in policy and "unsafe-eval" not in policy

    visit(page, f"/admin/pages/{procedure.pk}/edit/")
    # Every tab of the edit view, the go-live and expiry pickers (inline scripts) included.
    tabs = page.get_by_role("tab")
    for number in range(tabs.count()):
        tabs.nth(number).click()
    expect(page.locator("#id_go_live_at")).to_have_count(1)

    visit(page, f"/admin/pages/{french.get_target_instance().pk}/edit/")
    expect(page.get_by_text("English to French translation").first).to_be_visible()

    policy = visit(page, "/api/v1/docs/")
    page.wait_for_selector(".opblock", timeout=30_000)
    assert "script-src 'self';" in policy + ";" and "unsafe-inline" not in policy

    violations = page.violations()
    assert not violations, "\n".join(violations)

"""Translation status says where each page stands in medical review: an approval voided by
an edit after it shows as "needs re-review" in the command (table and JSON) and the admin
report, for the source page and for its translation. The status endpoint is checked
against the OpenAPI document in tests/api/test_contract.py."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from wagtail.users.models import UserProfile

from cms.review.approvals import in_force
from cms.review.models import MedicalApproval
from pages.demo.loader import demo_key
from pages.models import HomePage, ProcedurePage
from tests.translation.builders_status import user

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/translation-status/"


def procedure(code):
    return ProcedurePage.objects.get(locale__language_code=code)


def edit_after_approval(page, summary):
    """Save a draft of ``page`` with a new summary, as an editor does after the approval."""
    draft = page.get_latest_revision_as_object()
    draft.summary = summary
    draft.save_revision()
    assert in_force(page).void_reason == MedicalApproval.Void.EDITED


def status_json(*args):
    out = io.StringIO()
    call_command("translation_status", "--format", "json", *args, stdout=out)
    return {(row["page"]["title"], row["locale"]): row for row in json.loads(out.getvalue())}


def test_the_command_shows_a_voided_approval_as_needs_re_review(demo):
    english = procedure("en")
    before = status_json()[english.title, "fr"]
    assert (before["page"]["review"], before["review"]) == ("approved", "approved")

    edit_after_approval(english, "A new claim, not yet reviewed.")
    rows = status_json()
    assert rows[english.title, "fr"]["page"]["review"] == "needs_re_review"
    assert rows[english.title, "fr"]["review"] == "approved"  # the French copy's own approval stands

    edit_after_approval(procedure("fr"), "Une nouvelle affirmation.")
    rows = status_json()
    assert rows[english.title, "fr"]["review"] == "needs_re_review"
    assert rows[english.title, "de"]["review"] == "approved"
    home = rows[HomePage.objects.get(locale__language_code="en", translation_key=demo_key("home")).title, "fr"]
    assert home["review"] is None and home["page"]["review"] is None  # a home page needs no medical review

    out = io.StringIO()
    call_command("translation_status", "--locale", "fr", stdout=out)
    lines = out.getvalue().splitlines()
    header = lines[0].split("  ")
    assert "Source review" in lines[0] and "Review" in header
    line = next(line for line in lines if line.strip().startswith(english.title))
    assert line.split()[-4:-2] == ["needs_re_review", "needs_re_review"]


def test_the_admin_report_flags_needs_re_review_for_source_and_translation(demo, client):
    english = procedure("en")
    french = procedure("fr")
    edit_after_approval(english, "A new claim, not yet reviewed.")
    edit_after_approval(french, "Une nouvelle affirmation.")
    client.force_login(user("admin", superuser=True))

    response = client.get(REPORT, {"locale": "fr"})
    assert response.status_code == 200
    [row] = [row for row in response.context["object_list"] if row.page.pk == english.pk]
    assert (row.source_review, row.status.review) == ("needs_re_review", "needs_re_review")
    html = response.content.decode()
    assert 'data-source-review="needs_re_review"' in html
    assert 'data-review="needs_re_review"' in html
    assert f'href="/admin/review/trail/{french.pk}/"' in html  # where the reviewer approves it again
    assert "Needs re-review" in html

    german = client.get(REPORT, {"locale": "de"}).content.decode()
    assert 'data-review="needs_re_review"' not in german
    assert 'data-review="approved"' in german

    exported = client.get(REPORT, {"export": "csv", "locale": "fr"})
    table = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode())))
    [line] = [line for line in table if line["Page"] == english.title]
    assert line["Medical review of the source"] == "needs_re_review"
    assert line["Medical review"] == "needs_re_review"


def test_the_report_speaks_the_reviewers_language(demo, client):
    edit_after_approval(procedure("fr"), "Une nouvelle affirmation.")
    admin = user("admin", superuser=True)
    profile = UserProfile.get_for_user(admin)
    profile.preferred_language = "fr"
    profile.save()
    client.force_login(admin)
    html = client.get(REPORT, {"locale": "fr"}).content.decode()
    assert "Nouvelle relecture nécessaire" in html

"""Clinic pages against the library page they show: “library changed” after a library
publish, cleared by saving or marking as reviewed; and a voided library approval served
by every clinic that shows it.

The demo: Madrid (es, en) and London (en) show the library's microneedling with their
own practitioners, prices and devices; Madrid also its safety checklist, changing only
the regulatory notice.
"""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from cms.review.approvals import approve
from cms.review.library import LIBRARY_CHANGED, NEEDS_RE_REVIEW, library_changed, status
from tests.delivery.conftest import clinic_key
from tests.utils import demo_page, publish_reviewed

MADRID = "clinic-madrid-microneedling"
LONDON = "clinic-london-microneedling"


def clinic_status(*args):
    output = io.StringIO()
    call_command("clinic_status", "--format", "json", *args, stdout=output)
    return {(row["key"], row["locale"]): row for row in json.loads(output.getvalue())}


def flags(rows, name, locale="en"):
    return rows[clinic_key(name), locale]["flags"]


def republish_library(name="microneedling", locale="en"):
    library = demo_page(name, locale)
    library.summary = "Tiny needles prompt the skin to make new collagen, in four to six sessions."
    return publish_reviewed(library)


@pytest.fixture
def admin_client(clinics):
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def test_the_demo_starts_with_nothing_flagged(clinics):
    rows = clinic_status("--check")
    assert len(rows) == 5  # Madrid: microneedling and safety in es and en; London: microneedling
    assert all(row["flags"] == [] and row["medical_review"] == "approved" for row in rows.values())
    assert rows[clinic_key(MADRID), "es"]["library"]["locale"] == "es"
    assert rows[clinic_key(MADRID), "en"]["overrides"] == [
        "practitioners",
        "price",
        "devices",
        "booking_url",
        "regulatory_notice",
    ]


def test_a_library_publish_flags_the_clinic_pages_that_show_it_and_change_fields(clinics):
    republish_library()

    rows = clinic_status()
    assert LIBRARY_CHANGED in flags(rows, MADRID) and LIBRARY_CHANGED in flags(rows, LONDON)
    # Madrid's Spanish copy shows the Spanish library page, which was not published; the
    # safety checklists show another library page.
    assert LIBRARY_CHANGED not in flags(rows, MADRID, "es")
    assert LIBRARY_CHANGED not in flags(rows, "clinic-madrid-safety")
    with pytest.raises(CommandError, match=r"of 5 clinic pages are flagged"):
        call_command("clinic_status", "--check", stdout=io.StringIO())
    table = io.StringIO()
    call_command("clinic_status", "--site", "london", stdout=table)
    assert "library_changed" in table.getvalue() and "Madrid" not in table.getvalue()


def test_a_clinic_page_that_changes_nothing_is_never_flagged(clinics):
    london = demo_page(LONDON, "en")
    london.practitioners, london.devices = [], []
    london.price_min = london.price_max = None
    london.price_currency = london.booking_url = ""
    london.save_revision().publish()
    republish_library()
    assert status(demo_page(LONDON, "en")).flags == []


def test_saving_the_clinic_page_clears_the_flag(clinics):
    republish_library()
    london = demo_page(LONDON, "en")
    assert library_changed(london)
    london.save_revision()  # a draft is enough: the editor looked at it
    assert not library_changed(demo_page(LONDON, "en"))
    assert LIBRARY_CHANGED in flags(clinic_status(), MADRID)


def test_the_edit_screen_says_library_changed_and_offers_mark_as_reviewed(admin_client):
    madrid = demo_page(MADRID, "en")
    edit = reverse("wagtailadmin_pages:edit", args=[madrid.pk])
    assert "Library changed" not in admin_client.get(edit).content.decode()
    republish_library()

    page = admin_client.get(edit).content.decode()
    assert "Library changed: “Microneedling” was published on" in page
    assert "Practitioners, price, Devices offered, Booking link, Regulatory notice" in page
    mark = reverse("review_library_reviewed", args=[madrid.pk])
    assert mark in page

    confirm = admin_client.get(mark)
    assert confirm.status_code == 200 and "Mark as reviewed" in confirm.content.decode()
    assert library_changed(demo_page(MADRID, "en")), "looking at the confirmation changes nothing"
    done = admin_client.post(mark)
    assert done.status_code == 302 and done["Location"] == edit
    assert not library_changed(demo_page(MADRID, "en"))
    assert "Library changed" not in admin_client.get(edit).content.decode()
    assert LIBRARY_CHANGED in flags(clinic_status(), LONDON)  # only the page marked


def test_only_someone_who_may_edit_the_page_marks_it_as_reviewed(clinics):
    republish_library()
    group = Group.objects.create(name="Admin access only")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = get_user_model().objects.create_user("visitor", password="x")
    user.groups.add(group)
    client = Client()
    client.force_login(user)
    mark = reverse("review_library_reviewed", args=[demo_page(MADRID, "en").pk])
    refused = client.post(mark)
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")  # Wagtail's answer to PermissionDenied
    assert library_changed(demo_page(MADRID, "en"))


def test_an_unknown_site_is_refused_naming_the_codes(clinics):
    with pytest.raises(CommandError, match=r"--site paris: no clinic of this hub has that code. Codes: .*madrid"):
        call_command("clinic_status", "--site", "paris", stdout=io.StringIO())


def test_an_edit_voiding_the_librarys_approval_voids_it_for_every_clinic_showing_it(clinics):
    """Medical sign-off through the product's approvals: approved, edited (voided), approved again."""
    client = Client()
    reviewer = get_user_model().objects.get(username="reviewer")
    urls = {
        "madrid": f"/api/v1/pages/{clinic_key(MADRID)}/?site=madrid&locale=en",
        "madrid-es": f"/api/v1/pages/{clinic_key(MADRID)}/?site=madrid&locale=es",
        "london": f"/api/v1/pages/{clinic_key(LONDON)}/?site=london",
    }

    def review_status():
        return {name: client.get(url).json()["meta"]["medical_review"]["status"] for name, url in urls.items()}

    assert review_status() == {"madrid": "approved", "madrid-es": "approved", "london": "approved"}
    assert review_status() == {"madrid": "approved", "madrid-es": "approved", "london": "approved"}  # cached

    library = demo_page("microneedling", "en")
    library.summary = "An edit after the approval: the reviewer has not seen this."
    library.save_revision()  # a draft: the approved revision stays live, its approval voided

    assert review_status() == {"madrid": "needs_re_review", "madrid-es": "approved", "london": "needs_re_review"}
    madrid = client.get(urls["madrid"]).json()
    assert madrid["content"]["summary"] != library.summary  # still the approved content
    assert (
        madrid["meta"]["medical_review"]
        == client.get(f"/api/v1/pages/{library.translation_key}/?locale=en").json()["meta"]["medical_review"]
    )
    rows = clinic_status()
    assert NEEDS_RE_REVIEW in flags(rows, MADRID) and NEEDS_RE_REVIEW in flags(rows, LONDON)
    assert NEEDS_RE_REVIEW not in flags(rows, MADRID, "es")
    # The live content is still what was approved: ?require=approved serves both, as before.
    assert client.get(urls["london"] + "&require=approved&fallback=false").status_code == 200

    _approval, revision = approve(demo_page("microneedling", "en"), reviewer)
    revision.publish()
    assert review_status() == {"madrid": "approved", "madrid-es": "approved", "london": "approved"}
    assert client.get(urls["madrid"]).json()["content"]["summary"] == library.summary


def test_require_approved_judges_a_clinic_page_by_the_library_page_it_shows(clinics):
    client = Client()
    library = f"/api/v1/pages/{clinic_key('microneedling')}/?locale=en&require=approved&fallback=false"
    madrid = f"/api/v1/pages/{clinic_key(MADRID)}/?site=madrid&require=approved&fallback=false"
    assert client.get(library).status_code == client.get(madrid + "&locale=en").status_code == 200

    # A new title of the page above it voids the library's approval: its live content is
    # no longer what the reviewer saw.
    treatments = demo_page("treatments", "en")
    treatments.title = "Skin treatments"
    treatments.save_revision().publish()

    assert client.get(library).status_code == 404
    assert client.get(madrid + "&locale=en").status_code == 404
    assert client.get(madrid + "&locale=es").status_code == 200  # the Spanish library page is still approved
    assert NEEDS_RE_REVIEW in flags(clinic_status(), MADRID)

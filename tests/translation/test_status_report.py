"""The admin's "Translation status" report (Reports menu)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from cms.translation.roles import ensure_translator_groups
from tests.translation.builders_status import (
    stale_french_site,
    user,
)

pytestmark = pytest.mark.django_db

URL = "/admin/reports/translation-status/"


@pytest.fixture
def site():
    return stale_french_site(machine=True)


def rows(response):
    return [(row.page.title, row.status.locale, row.status.state) for row in response.context["object_list"]]


def test_report_lists_pages_per_locale_with_their_state(site, client):
    client.force_login(user("admin", superuser=True))
    response = client.get(URL)
    assert response.status_code == 200
    assert reverse("cms_translation_status_report") == URL
    assert ("Microneedling", "fr", "stale") in rows(response)
    assert ("Microneedling", "de", "missing") in rows(response)
    html = response.content.decode()
    assert 'data-state="stale"' in html
    assert "Stale: source changed" in html
    assert "88% (8 / 9)" in html


def test_report_filters_by_locale_and_state(site, client):
    client.force_login(user("admin", superuser=True))
    response = client.get(URL, {"locale": "fr", "state": "stale"})
    assert rows(response) == [("Microneedling", "fr", "stale")]


def test_bad_filter_value_is_reported_and_filters_nothing(site, client):
    client.force_login(user("admin", superuser=True))
    response = client.get(URL, {"locale": "xx"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert len(rows(response)) == 6  # every page x locale, unfiltered


def test_report_exports_csv(site, client):
    client.force_login(user("admin", superuser=True))
    response = client.get(URL, {"export": "csv", "locale": "fr"})
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("Page,Path,Locale,State,Percent translated")
    assert any(line.startswith("Microneedling,") and ",fr,stale,88,8,1,8,0,9," in line for line in lines)


def test_translators_see_the_report_and_its_menu_item(site, client):
    groups = ensure_translator_groups()
    client.force_login(user("amelie", groups["fr"]))
    assert client.get(URL).status_code == 200
    assert URL.encode() in client.get(reverse("wagtailadmin_home")).content


def test_people_without_page_rights_are_refused(site, client):
    viewers = Group.objects.create(name="Viewers")
    viewers.permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user("visitor", viewers))
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")

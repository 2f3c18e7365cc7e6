"""Translator roles: "Translators (fr)" translates into French and nothing else."""

import datetime
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from cms.translation.roles import ensure_translator_groups
from tests.translation.builders_status import english_home, locales, procedure_page, translate_into, user
from tests.utils import device

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    """An English home, procedure and device, each translated into French and German,
    the translator groups, and a French translator."""
    en, fr, de = locales("en", "fr", "de")
    home = english_home()
    translate_into(home, fr, de)
    page = procedure_page(home)
    translate_into(page, fr, de)
    pen = device(locale=en)
    translate_into(pen, fr, de)
    groups = ensure_translator_groups()
    return {
        "en": en,
        "fr": fr,
        "de": de,
        "page": page,
        "pen": pen,
        "groups": groups,
        "translator": user("amelie", groups["fr"]),
    }


def in_locale(obj, locale):
    return obj.get_translation(locale)


def put_string(client, source_object, target_locale, text):
    """Save one string through wagtail-localize's translation editor endpoint."""
    translation = Translation.objects.get(source__object_id=source_object.translation_key, target_locale=target_locale)
    segment = StringSegment.objects.filter(source=translation.source).order_by("order").first()
    url = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
    return client.put(url, urlencode({"value": text}), content_type="application/x-www-form-urlencoded")


def refused(response):
    """Wagtail's admin answers a refused action by sending the user to the dashboard."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_groups_exist_for_every_locale_but_the_source(site):
    assert set(site["groups"]) == {"de", "es", "fr"}
    assert Group.objects.filter(name="Translators (fr)").exists()
    assert not Group.objects.filter(name="Translators (en)").exists()


def test_group_rights_hang_on_the_locale_home_page_only(site):
    grants = GroupPagePermission.objects.filter(group=site["groups"]["fr"])
    assert {(grant.page.locale.language_code, grant.page.depth, grant.permission.codename) for grant in grants} == {
        ("fr", 2, "change_page")
    }
    assert not site["groups"]["fr"].permissions.filter(codename="submit_translation").exists()


def test_ensure_translator_groups_is_idempotent_and_removes_foreign_rights(site):
    fr_group = site["groups"]["fr"]
    english_home_page = Page.objects.get(depth=2, locale=site["en"])
    GroupPagePermission.objects.create(
        group=fr_group, page=english_home_page, permission=GroupPagePermission.objects.first().permission
    )
    before_groups = Group.objects.count()

    ensure_translator_groups()
    ensure_translator_groups()

    assert Group.objects.count() == before_groups
    assert GroupPagePermission.objects.filter(group=fr_group).count() == 1
    assert not GroupPagePermission.objects.filter(group=fr_group, page=english_home_page).exists()
    assert fr_group.permissions.count() == 3


def test_group_for_a_locale_without_home_gets_rights_once_the_home_exists(site):
    es = locales("es")[0]
    assert not GroupPagePermission.objects.filter(group=site["groups"]["es"]).exists()
    translate_into(Page.objects.get(depth=2, locale=site["en"]), es)
    ensure_translator_groups()
    assert GroupPagePermission.objects.filter(group=site["groups"]["es"], page__locale=es).count() == 1


def test_can_publish_option_adds_publishing_in_the_locale(site):
    ensure_translator_groups(can_publish=True)
    # A procedure page's translation may go live once its source carries a medical review (cms.review).
    source = site["page"]
    source.reviewed_by, source.last_reviewed_on = "Dr Ana Ruiz", datetime.date(2026, 11, 2)
    source.save_revision().publish()
    fr_page = in_locale(site["page"], site["fr"])
    assert fr_page.permissions_for_user(site["translator"]).can_publish()
    assert not site["page"].permissions_for_user(site["translator"]).can_publish()


def test_page_permissions_allow_the_own_locale_only(site):
    translator = site["translator"]
    english = site["page"].permissions_for_user(translator)
    french = in_locale(site["page"], site["fr"]).permissions_for_user(translator)
    german = in_locale(site["page"], site["de"]).permissions_for_user(translator)
    assert french.can_edit()
    assert not french.can_publish()  # medical reviewers publish
    assert not english.can_edit() and not english.can_publish()
    assert not german.can_edit()


def test_translator_opens_the_french_translation_editor(site, client):
    client.force_login(site["translator"])
    response = client.get(reverse("wagtailadmin_pages:edit", args=[in_locale(site["page"], site["fr"]).pk]))
    assert response.status_code == 200
    assert response.context["translation"].target_locale == site["fr"]  # wagtail-localize's editor


def test_translator_cannot_edit_or_publish_the_english_page(site, client):
    client.force_login(site["translator"])
    page = site["page"]
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    revision_before = page.specific.latest_revision_id

    assert refused(client.get(url))
    assert refused(client.post(url, {"title": "Hijacked", "slug": "microneedling", "action-publish": "publish"}))
    page.refresh_from_db()
    assert page.title == "Microneedling"
    assert page.latest_revision_id == revision_before


def test_translator_saves_french_strings_but_not_german_ones(site, client):
    client.force_login(site["translator"])
    assert put_string(client, site["page"], site["fr"], "Microneedling (FR)").status_code == 201
    assert refused(put_string(client, site["page"], site["de"], "Microneedling (DE)"))
    assert StringTranslation.objects.filter(data="Microneedling (FR)", locale=site["fr"]).exists()
    assert not StringTranslation.objects.filter(data="Microneedling (DE)").exists()


def test_translator_cannot_start_translations(site, client):
    client.force_login(site["translator"])
    es = locales("es")[0]
    url = reverse("wagtail_localize:submit_page_translation", args=[site["page"].pk])
    assert refused(client.post(url, {"locales": [es.pk]}))
    assert not Translation.objects.filter(target_locale=es).exists()


def test_translator_edits_french_devices_only(site, client):
    client.force_login(site["translator"])
    pen = site["pen"]
    edit = "wagtailsnippets_pages_device:edit"
    assert client.get(reverse(edit, args=[in_locale(pen, site["fr"]).pk])).status_code == 200
    assert refused(client.get(reverse(edit, args=[in_locale(pen, site["de"]).pk])))
    assert refused(client.get(reverse(edit, args=[pen.pk])))


def test_translator_cannot_change_the_english_device(site, client):
    client.force_login(site["translator"])
    pen = site["pen"]
    assert refused(client.post(reverse("wagtailsnippets_pages_device:edit", args=[pen.pk]), {"name": "Hijacked"}))
    pen.refresh_from_db()
    assert pen.name == "Clinic pen"


def test_translator_saves_french_device_strings_but_not_german_ones(site, client):
    client.force_login(site["translator"])
    assert put_string(client, site["pen"], site["fr"], "Stylo (FR)").status_code == 201
    assert refused(put_string(client, site["pen"], site["de"], "Stift (DE)"))
    assert not StringTranslation.objects.filter(data="Stift (DE)").exists()


def test_editors_with_rights_in_every_locale_keep_editing_every_device(site, client):
    editors = Group.objects.create(name="Device editors")
    editors.permissions.add(*site["groups"]["fr"].permissions.all())
    for home in Page.objects.filter(depth=2):
        GroupPagePermission.objects.create(
            group=editors, page=home, permission=GroupPagePermission.objects.first().permission
        )
    client.force_login(user("emma", editors))
    edit = "wagtailsnippets_pages_device:edit"
    assert client.get(reverse(edit, args=[site["pen"].pk])).status_code == 200
    assert client.get(reverse(edit, args=[in_locale(site["pen"], site["de"]).pk])).status_code == 200

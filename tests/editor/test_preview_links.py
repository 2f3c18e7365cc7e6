"""Signed, expiring preview links and the site's front-end preview setting."""

import datetime
from unittest import mock

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from cms.review.models import FrontendPreviewSettings
from cms.review.signing import (
    PreviewLinkError,
    PreviewLinkExpired,
    draft_of,
    make_preview_token,
    read_preview_token,
)
from tests.editor.conftest import publish_approved
from tests.utils import procedure_page

pytestmark = pytest.mark.django_db


def test_a_token_names_its_page_until_it_expires(clinic):
    page = clinic.index.add_child(instance=procedure_page(live=False))
    token = make_preview_token(page, lifetime_hours=2)

    assert read_preview_token(token) == page
    later = timezone.now() + datetime.timedelta(hours=2, minutes=1)
    with (
        mock.patch("django.core.signing.time.time", return_value=later.timestamp()),
        pytest.raises(PreviewLinkExpired, match="expired"),
    ):
        read_preview_token(token)


@pytest.mark.parametrize(
    "token",
    ["", "garbage", "eyJwYWdlIjoxfQ:1vN1Zq:forged", signing.TimestampSigner(salt="another-purpose").sign_object({})],
)
def test_forged_or_garbled_tokens_are_refused(clinic, token):
    with pytest.raises(PreviewLinkError, match="not valid"):
        read_preview_token(token)


def test_a_token_for_a_deleted_page_says_so(clinic):
    page = clinic.index.add_child(instance=procedure_page(live=False))
    token = make_preview_token(page, lifetime_hours=1)
    page.delete()
    with pytest.raises(PreviewLinkError, match="no longer exists"):
        read_preview_token(token)


def test_a_token_shows_the_latest_draft(clinic, reviewer):
    page = publish_approved(clinic.index.add_child(instance=procedure_page(live=False)), reviewer)
    page.title = "Microneedling (updated)"
    page.save_revision()
    assert draft_of(read_preview_token(make_preview_token(page, lifetime_hours=1))).title == "Microneedling (updated)"


def test_editor_gets_a_link_to_the_sites_front_end(clinic, editor, client):
    settings = FrontendPreviewSettings.for_site(Site.objects.get(is_default_site=True))
    settings.preview_url = "https://www.example-clinic.com/preview?token={token}"
    settings.link_lifetime_hours = 6
    settings.save()
    page = clinic.index.add_child(instance=procedure_page(live=False))
    client.force_login(editor)

    response = client.get(reverse("review_share_preview", args=[page.pk]))

    assert response.status_code == 200
    link = response.context["frontend_url"]
    assert link.startswith("https://www.example-clinic.com/preview?token=")
    token = response.context["token"]
    assert read_preview_token(token) == page
    assert "data-preview-link" in response.content.decode()


def test_the_page_header_offers_share_preview_to_editors(clinic, editor, client):
    page = clinic.index.add_child(instance=procedure_page(live=False))
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert reverse("review_share_preview", args=[page.pk]) in html


def test_a_translator_of_another_locale_gets_no_link(clinic, translator, client):
    page = clinic.index.add_child(instance=procedure_page(live=False))
    client.force_login(translator)
    response = client.get(reverse("review_share_preview", args=[page.pk]))
    assert response.status_code in (302, 403)
    assert "token" not in (response.context or {})


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("preview_url", "not a url", "Enter a valid URL."),
        ("preview_url", "https://www.example-clinic.com/preview", "Put {token} where the preview token goes"),
        ("link_lifetime_hours", "0", "greater than or equal to 1"),
        ("link_lifetime_hours", "100000", "less than or equal to 720"),
    ],
)
def test_preview_settings_refuse_garbage_and_keep_what_was_saved(clinic, superuser, client, field, value, message):
    site = Site.objects.get(is_default_site=True)
    saved = FrontendPreviewSettings.for_site(site)
    saved.preview_url = "https://www.example-clinic.com/preview/{token}/"
    saved.save()
    client.force_login(superuser)
    data = {"preview_url": saved.preview_url, "link_lifetime_hours": "48", field: value}

    url = reverse("wagtailsettings:edit", args=["cms_review", "frontendpreviewsettings", site.pk])
    response = client.post(url, data)

    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    saved.refresh_from_db()
    assert (saved.preview_url, saved.link_lifetime_hours) == ("https://www.example-clinic.com/preview/{token}/", 48)


def test_a_token_for_a_translation_in_progress_shows_the_strings_entered_so_far(clinic):
    from wagtail_localize.models import StringTranslation, Translation, TranslationSource

    page = clinic.index.add_child(instance=procedure_page())
    source, _created = TranslationSource.get_or_create_from_instance(page)
    translation = Translation.objects.create(source=source, target_locale=clinic.french)
    translation.save_target()
    french = page.get_translation(clinic.french)
    summary = source.stringsegment_set.get(context__path="summary")
    StringTranslation.objects.create(
        translation_of=summary.string,
        locale=clinic.french,
        context=summary.context,
        data="De fines aiguilles incitent la peau à produire du collagène.",
    )

    shown = draft_of(read_preview_token(make_preview_token(french, lifetime_hours=1)))

    assert shown.summary == "De fines aiguilles incitent la peau à produire du collagène."
    assert shown.title == "Microneedling"  # not translated yet: the source text stands in
    assert (shown.session_minutes_min, shown.session_minutes_max) == (10, 20)
    french.refresh_from_db()
    assert french.summary != shown.summary  # previewing saved nothing

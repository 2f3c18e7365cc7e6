"""Markets: each locale's copy is approved by a reviewer of its own market, bound to its own
hash and to the hash of the source approval it was translated from."""

import pytest
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient
from wagtail.models import Locale
from wagtail_localize.models import TranslationSource

from cms.review.approvals import ApprovalRefused, approve, refusal
from cms.review.gate import ReviewRequired, bypass
from cms.review.markets import ensure_markets, market_of
from cms.review.models import Market, MedicalApproval

from .conftest import fresh, publish_approved

pytestmark = pytest.mark.django_db


def french_draft(page):
    """The French copy of ``page`` as wagtail-localize makes it, not published."""
    source, _created = TranslationSource.get_or_create_from_instance(fresh(page))
    source.update_from_db()
    translated, _created = source.create_or_update_translation(
        Locale.objects.get(language_code="fr"), publish=False, fallback=True
    )
    return fresh(translated)


def served(page, locale, **params):
    return APIClient().get(f"/api/v1/pages/{page.translation_key}/", {"locale": locale, **params})


def test_markets_come_from_the_setting_and_each_locale_has_one(clinic):
    assert dict(Market.objects.values_list("code", "locale__language_code")) == {
        "en-GB": "en",
        "fr-FR": "fr",
        "de-DE": "de",
        "es-ES": "es",
    }
    assert market_of(clinic.home).code == "en-GB"
    assert Market.objects.get(code="de-DE").name == "Germany"
    Locale.objects.create(language_code="it")
    with override_settings(CMS_MARKETS=["it-IT:it", "de-AT:de"]):
        markets = ensure_markets()
    assert markets["it-IT"].locale.language_code == "it"
    assert "de-AT" not in markets  # German pages are reviewed for de-DE already: one market per locale


def test_a_translation_goes_live_only_with_its_own_markets_approval(procedure, reviewer, reviewer_fr):
    french = french_draft(procedure)
    assert not french.live
    with pytest.raises(ReviewRequired):
        french.get_latest_revision().publish()
    assert refusal(reviewer, french) == "You are not a reviewer for fr-FR."
    with pytest.raises(ApprovalRefused, match="not a reviewer for fr-FR"):
        approve(french, reviewer)

    french = publish_approved(french, reviewer_fr)

    assert french.live
    english_approval = MedicalApproval.objects.get(page=procedure)
    french_approval = MedicalApproval.objects.get(page=french)
    assert french_approval.market.code == "fr-FR"
    assert french_approval.source_hash == english_approval.content_hash
    review = served(procedure, "fr").json()["meta"]["medical_review"]
    assert (review["reviewer"], review["market"], review["source_hash"]) == (
        "Dr Camille Martin",
        "fr-FR",
        english_approval.content_hash,
    )


def test_a_stale_translation_keeps_the_approved_one_live_until_its_market_approves(procedure, reviewer, reviewer_fr):
    french = publish_approved(french_draft(procedure), reviewer_fr)
    approved_french = french.live_revision_id
    changed = fresh(procedure)
    changed.summary = "A new summary, approved for the UK."
    changed.save_revision()
    publish_approved(fresh(procedure), reviewer)

    updated = french_draft(procedure)  # the translation follows the source, as a draft
    with pytest.raises(ReviewRequired):
        updated.get_latest_revision().publish()
    assert fresh(french).live_revision_id == approved_french
    assert served(procedure, "fr", require="approved").json()["locale"] == "fr"

    publish_approved(updated, reviewer_fr)
    new_english = MedicalApproval.objects.filter(page=procedure).first()
    assert MedicalApproval.objects.filter(page=french).first().source_hash == new_english.content_hash


def test_a_translation_of_an_unapproved_source_cannot_be_approved(clinic, superuser, reviewer_fr):
    from tests.utils import procedure_page

    source = clinic.index.add_child(instance=procedure_page(live=False))
    with bypass(superuser, "Loaded from the old site"):
        source.save_revision().publish(user=superuser)
    french = french_draft(source)

    with pytest.raises(ApprovalRefused, match="is not approved: approve it first"):
        approve(french, reviewer_fr)
    assert not MedicalApproval.objects.filter(page=french).exists()


def test_a_translator_submits_and_the_markets_reviewer_approves_from_the_sign_off_screen(
    procedure, translator, reviewer, reviewer_fr, client
):
    french = french_draft(procedure)
    trail = reverse("review_audit_trail", args=[french.pk])
    client.force_login(translator)
    # The translator's admin speaks their language (French here): the form is found by its action.
    assert reverse("review_submit", args=[french.pk]) in client.get(trail).content.decode()

    assert client.post(reverse("review_submit", args=[french.pk])).status_code == 302
    assert fresh(french).workflow_in_progress
    client.force_login(reviewer)
    assert "Approve and publish" not in client.get(trail).content.decode()  # not a fr-FR reviewer
    assert client.post(reverse("review_approve", args=[french.pk])).status_code in (302, 403)
    assert not fresh(french).live

    client.force_login(reviewer_fr)
    assert "Approve and publish" in client.get(trail).content.decode()
    assert client.post(reverse("review_approve", args=[french.pk])).status_code == 302

    assert fresh(french).live
    assert MedicalApproval.objects.get(page=french).reviewer == reviewer_fr

"""Claims rules per market: checked in the page's language on save and on submit; a page
that breaks one cannot be approved; a broken pattern is refused when the rule is saved."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.images import get_image_model

from cms.review.approvals import ApprovalRefused, approve
from cms.review.claims import violations
from cms.review.models import ClaimRule, Market, MedicalApproval
from cms.review.rule_packs import PACKS
from tests.api.conftest import make_image
from tests.editor.forms import procedure_form
from tests.utils import procedure_page

from .conftest import act, fresh, submit

pytestmark = pytest.mark.django_db


def rule(market_code, name):
    return ClaimRule.objects.get(market__code=market_code, name=name)


def test_the_starting_packs_cover_the_four_markets_and_cite_their_source(clinic):
    for code, entries in PACKS.items():
        rules = ClaimRule.objects.filter(market__code=code)
        assert rules.count() == len(entries), code
        assert all(r.source.strip() for r in rules), code
    kinds = set(ClaimRule.objects.values_list("kind", flat=True))
    assert kinds == set(ClaimRule.Kind.values)
    assert rule("de-DE", "Keine Vorher-Nachher-Bilder").source.startswith("HWG § 11")
    assert "CAP Code 12.12" in rule("en-GB", "Botulinum toxin is prescription-only").source


@pytest.mark.parametrize(
    ("text", "rule_name", "found"),
    [
        ("A painless way to smoother skin.", "No promise of painlessness", "painless"),
        ("Results are permanent.", "No permanent results", "permanent"),
        ("Guaranteed results after one session.", "No guaranteed results", "Guaranteed"),
        ("A risk-free treatment.", "No claim of being risk-free", "risk-free"),
        ("Often combined with Botox.", "Botulinum toxin is prescription-only", "Botox"),
    ],
)
def test_forbidden_phrases_and_prescription_medicines_are_named_with_the_rule(clinic, text, rule_name, found):
    page = clinic.index.add_child(instance=procedure_page(live=False, summary=text))

    [violation] = violations(page)

    assert violation.rule == rule("en-GB", rule_name)
    assert violation.text == found
    assert f"“{found}”" in str(violation) and rule_name in str(violation) and violation.rule.source in str(violation)


def test_a_claim_needing_evidence_passes_only_with_a_source(clinic):
    claim = "Clinically proven to reduce acne scars."
    page = clinic.index.add_child(instance=procedure_page(live=False, summary=claim))
    [violation] = violations(page)
    assert violation.rule.kind == ClaimRule.Kind.NEEDS_CITATION
    assert "needs a source" in str(violation) and "Clinically proven" in str(violation)

    page.sources = [("citation", {"title": "Microneedling for acne scars", "url": "https://example.org/study"})]
    assert violations(page) == []


def test_before_after_images_are_refused_for_germany_only(clinic):
    german = clinic.english.__class__.objects.get(language_code="de")
    image = make_image()
    alt = "Vorher und nachher: Wange nach drei Sitzungen"
    page = clinic.index.add_child(
        instance=procedure_page(live=False, hero_image=image, hero_image_alt=alt, locale=german, slug="de")
    )
    [violation] = violations(page)
    assert violation.rule == rule("de-DE", "Keine Vorher-Nachher-Bilder")
    assert violation.text == alt

    english = clinic.index.add_child(
        instance=procedure_page(live=False, hero_image=image, hero_image_alt="Before and after: a cheek")
    )
    assert violations(english) == []  # the UK pack has no image rule
    assert get_image_model().objects.count() == 1


def test_rules_apply_in_the_pages_own_language(clinic):
    french = clinic.fr_index.add_child(
        instance=procedure_page(live=False, summary="Un soin indolore, painless.", locale=clinic.french, slug="fr")
    )
    [violation] = violations(french)
    assert violation.rule.market.code == "fr-FR" and violation.text == "indolore"


def test_a_page_breaking_a_rule_cannot_be_approved(clinic, editor, reviewer):
    page = clinic.index.add_child(instance=procedure_page(live=False, summary="Guaranteed results."))
    state = submit(page, editor)

    task = state.current_task_state.task.specific
    assert [action[0] for action in task.get_actions(page, reviewer)] == ["reject"]
    with pytest.raises(ApprovalRefused, match="Guaranteed"):
        act(state, reviewer, "approve")
    with pytest.raises(ApprovalRefused, match="No guaranteed results"):
        approve(page, reviewer)
    assert not fresh(page).live and not MedicalApproval.objects.exists()


def test_saving_in_the_admin_names_the_broken_rule(clinic, editor, client):
    client.force_login(editor)
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["pages", "procedurepage", clinic.index.pk]),
        procedure_form(summary="A painless treatment."),
        follow=True,
    )
    messages = [str(message) for message in response.context["messages"]]
    assert any("painless" in message and "No promise of painlessness" in message for message in messages)


def test_an_invalid_pattern_is_refused_on_save_and_nothing_is_stored(clinic, superuser, client):
    market = Market.objects.get(code="en-GB")
    before = ClaimRule.objects.count()
    bad = ClaimRule(market=market, kind=ClaimRule.Kind.FORBIDDEN, name="Broken", pattern="pain(less", source="x")
    with pytest.raises(ValidationError, match="not a valid regular expression"):
        bad.save()

    client.force_login(superuser)
    response = client.post(
        reverse("claimrule:add"),
        {"market": market.pk, "kind": "forbidden", "name": "Broken", "pattern": "[a-", "source": "x", "active": "on"},
    )
    assert response.status_code == 200
    assert "not a valid regular expression" in response.content.decode()
    assert ClaimRule.objects.count() == before


def test_a_rule_edited_in_the_admin_applies_at_once(clinic, superuser, client):
    client.force_login(superuser)
    market = Market.objects.get(code="en-GB")
    response = client.post(
        reverse("claimrule:add"),
        {
            "market": market.pk,
            "kind": "forbidden",
            "name": "No miracle",
            "pattern": r"\bmiracle\b",
            "source": "CAP 3.7",
            "active": "on",
        },
    )
    assert response.status_code == 302
    page = clinic.index.add_child(instance=procedure_page(live=False, summary="A miracle for your skin."))
    assert [v.rule.name for v in violations(page)] == ["No miracle"]

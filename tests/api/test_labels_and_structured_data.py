"""Labels for every code a page holds, and the page as schema.org JSON-LD.

Labels: each code in ``content`` (who performs a procedure, concerns and evidence,
checklist phases and importance, device kinds, comparison cells) has its words in
``labels``, in the locale asked for and in sentence case. Structured data: pyld expands
each page's JSON-LD against a local copy of the schema.org context (``data/``: the
entries of schema.org's published context for the terms the API uses; no network) and
the facts, review and language are found under schema.org's IRIs.
"""

import json
from pathlib import Path

import pytest
from django.test import Client
from pyld import jsonld

from cms.api.locales import served_locales

SCHEMA = "http://schema.org/"
CONTEXT_FILE = Path(__file__).parent / "data" / "schemaorg-context.jsonld"


def local_loader(url, options=None):
    """pyld's document loader: the schema.org context from the repository, nothing else."""
    if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
        raise jsonld.JsonLdError(
            f"No network in tests: {url}", "jsonld.LoadDocumentError", code="loading document failed"
        )
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": json.loads(CONTEXT_FILE.read_text()),
    }


@pytest.fixture
def pages(demo_site, db):
    """Every demo page in every locale, by (type, locale)."""
    client = Client()
    keys = {row["key"] for row in client.get("/api/v1/pages/?locale=*&limit=100").json()["results"]}
    found = {}
    for key in keys:
        for code in served_locales():
            data = client.get(f"/api/v1/pages/{key}/?locale={code}").json()
            found[(data["type"], code)] = data
    return found


def codes_in(data):
    """(label set, code) pairs the page's content holds, read from the content itself."""
    content = data["content"]
    pairs = [("practitioner", code) for code in content.get("performed_by", [])]
    for block in content.get("concerns", []):
        pairs += [("concern", block["value"]["concern"]), ("evidence", block["value"]["evidence"])]
    for block in content.get("items", []):
        pairs += [("checklist_phase", block["value"]["phase"]), ("importance", block["value"]["importance"])]
    comparison = content.get("comparison")
    if comparison:
        for device in comparison["devices"]:
            pairs += [("device_kind", device["kind"]), ("device_setting", device["setting"])]
    for value in content.values():
        if isinstance(value, dict) and "unit" in value:
            pairs.append(("unit", value["unit"]))
    return pairs


def test_every_code_has_its_label_in_the_locale_asked_for(pages):
    seen = set()
    for (page_type, code), data in pages.items():
        for label_set, value in codes_in(data):
            label = data["labels"][label_set][value]
            assert label.strip(), (page_type, label_set, value)
            if label_set != "unit":  # units follow a number ("10–20 minutes")
                assert label[0] == label[0].upper(), (page_type, code, label)
            seen.add(label_set)
    assert seen == {
        "practitioner",
        "concern",
        "evidence",
        "checklist_phase",
        "importance",
        "device_kind",
        "device_setting",
        "unit",
    }
    procedure = {code: pages[("pages.ProcedurePage", code)]["labels"] for code in served_locales()}
    assert procedure["en"]["practitioner"]["dermatologist"] == "Dermatologist"
    assert procedure["fr"]["practitioner"]["dermatologist"] == "Dermatologue"
    assert procedure["de"]["practitioner"]["dermatologist"] == "Dermatologe"
    assert procedure["es"]["practitioner"]["dermatologist"] == "Dermatólogo"
    assert procedure["fr"]["unit"]["min"] == "minutes" and procedure["de"]["unit"]["min"] == "Minuten"


def test_comparison_attribute_labels_are_sentence_case_in_every_locale(pages):
    for code in served_locales():
        attributes = pages[("pages.DeviceComparisonPage", code)]["content"]["comparison"]["labels"]["attributes"]
        assert all(label[0] == label[0].upper() for label in attributes.values()), attributes
    french = pages[("pages.DeviceComparisonPage", "fr")]["content"]["comparison"]["labels"]["attributes"]
    assert french["setting"] == "Cadre d’utilisation"


def expanded(data):
    (node,) = jsonld.expand(data["structured_data"], {"documentLoader": local_loader})
    return node


def values(node, name):
    return [item.get("@value", item.get("@id")) for item in node.get(SCHEMA + name, [])]


def test_procedure_json_ld_expands_to_schema_org_with_its_facts_and_review(pages):
    for code in served_locales():
        data = pages[("pages.ProcedurePage", code)]
        node = expanded(data)
        assert node["@type"] == [SCHEMA + "MedicalWebPage"]
        assert values(node, "inLanguage") == [code]
        assert values(node, "url") == [data["seo"]["canonical"]]
        assert values(node, "name") == [data["seo"]["seo_title"] or data["title"]]
        review = data["meta"]["medical_review"]
        assert review["status"] == "approved"  # the demo's market reviewers approved every page
        (reviewer,) = node[SCHEMA + "reviewedBy"]
        assert values(reviewer, "name") == [review["reviewer"]]
        assert values(reviewer, "jobTitle") == [review["qualification"]]
        assert values(node, "lastReviewed") == [review["approved_at"][:10]]
        assert node[SCHEMA + "dateModified"][0]["@type"] == SCHEMA + "Date"
        (procedure,) = node[SCHEMA + "about"]
        assert procedure["@type"] == [SCHEMA + "MedicalProcedure"]
        facts = {values(fact, "propertyID")[0]: fact for fact in procedure[SCHEMA + "additionalProperty"]}
        session = data["content"]["session_minutes"]
        assert values(facts["session_minutes"], "minValue") == [session["min"]]
        assert values(facts["session_minutes"], "maxValue") == [session["max"]]
        assert values(facts["session_minutes"], "unitCode") == ["MIN"]
        assert values(facts["session_minutes"], "unitText") == [data["labels"]["unit"]["min"]]


def test_other_page_types_say_what_they_are_about(pages):
    benefits = pages[("pages.BenefitsPage", "fr")]
    conditions = expanded(benefits)[SCHEMA + "about"]
    assert {values(item, "name")[0] for item in conditions} == {
        benefits["labels"]["concern"][block["value"]["concern"]] for block in benefits["content"]["concerns"]
    }
    assert all(item["@type"] == [SCHEMA + "MedicalCondition"] for item in conditions)
    comparison = pages[("pages.DeviceComparisonPage", "de")]
    devices = expanded(comparison)[SCHEMA + "about"]
    assert [values(item, "name")[0] for item in devices] == [
        d["name"] for d in comparison["content"]["comparison"]["devices"]
    ]
    checklist = expanded(pages[("pages.SafetyChecklistPage", "es")])
    (checks,) = checklist[SCHEMA + "mainEntity"]
    assert len(checks[SCHEMA + "itemListElement"]) == len(
        pages[("pages.SafetyChecklistPage", "es")]["content"]["items"]
    )
    home = expanded(pages[("pages.HomePage", "en")])
    assert home["@type"] == [SCHEMA + "WebPage"] and SCHEMA + "reviewedBy" not in home


def test_the_loader_refuses_any_other_document():
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand({"@context": "https://example.com/context.jsonld", "name": "x"}, {"documentLoader": local_loader})

"""``structured_data``: the page as schema.org JSON-LD, for a website's ``<script type="application/ld+json">``.

Built from the page object the API serves and nothing else (its public fields,
``seo``, ``meta`` and ``labels``), so it says what the JSON says, in the page's
language. Every page is a ``MedicalWebPage`` (the home and index pages a ``WebPage``)
with ``url`` (the canonical URL), ``inLanguage``, ``datePublished`` and
``dateModified``; ``reviewedBy`` and ``lastReviewed`` appear only when the live content has
a recorded medical approval. What it is about:

- procedure: a ``MedicalProcedure`` with its other names, steps (``howPerformed``) and
  its ranges as ``PropertyValue`` (``minValue``, ``maxValue``, UN/CEFACT ``unitCode``);
- benefits: the concerns as ``MedicalCondition`` with the procedure as possible treatment;
- device comparison: the devices as ``MedicalDevice``;
- safety checklist: the procedure, and the checks as an ``ItemList``.
"""

CONTEXT = "https://schema.org"
# UN/CEFACT common codes of the range units; sessions have none (unitText only).
UNIT_CODES = {"min": "MIN", "day": "DAY", "mm": "MMT"}
_MEDICAL_TYPES = {
    "pages.ProcedurePage",
    "pages.BenefitsPage",
    "pages.DeviceComparisonPage",
    "pages.SafetyChecklistPage",
}


def structured_data(data):
    """The JSON-LD object for a page object ``data`` (see ``representation.py``)."""
    content, meta, labels = data["content"], data["meta"], data["labels"]
    node = {
        "@context": CONTEXT,
        "@type": "MedicalWebPage" if data["type"] in _MEDICAL_TYPES else "WebPage",
        "name": data["seo"]["seo_title"] or data["title"],
        "inLanguage": data["locale"],
    }
    _put(node, "url", data["seo"]["canonical"])
    _put(node, "description", content.get("summary") or data["seo"]["search_description"])
    _put(node, "datePublished", meta["first_published_at"])
    _put(node, "dateModified", meta["last_published_at"])
    image = content.get("hero_image")
    if image:
        largest = max(image["renditions"].values(), key=lambda rendition: rendition["width"])
        node["image"] = {"@type": "ImageObject", "url": largest["url"], "caption": image["alt"]}
    # Only from the recorded approval (cms.review), never from the editable page fields.
    review = meta.get("medical_review") or {}
    if review.get("status") == "approved" and review.get("reviewer"):
        node["reviewedBy"] = {"@type": "Person", "name": review["reviewer"]}
        if review.get("qualification"):
            node["reviewedBy"]["jobTitle"] = review["qualification"]
        approved_at = review.get("approved_at")
        _put(node, "lastReviewed", approved_at.date() if hasattr(approved_at, "date") else approved_at)
    about = _ABOUT.get(data["type"])
    if about is not None:
        node.update(about(data, content, labels))
    return node


def _procedure(data, content, labels):
    procedure = {"@type": "MedicalProcedure", "name": data["title"]}
    _put(procedure, "alternateName", content.get("also_known_as"))
    _put(procedure, "description", content.get("summary"))
    steps = [step["value"].get("title") for step in content.get("steps") or [] if step["value"].get("title")]
    if steps:
        procedure["howPerformed"] = "; ".join(steps)
    facts = []
    for name, value in content.items():
        if isinstance(value, dict) and set(value) == {"min", "max", "unit"}:
            fact = {"@type": "PropertyValue", "propertyID": name, "minValue": value["min"], "maxValue": value["max"]}
            fact["unitText"] = labels.get("unit", {}).get(value["unit"], value["unit"])
            _put(fact, "unitCode", UNIT_CODES.get(value["unit"]))
            facts.append(fact)
    if facts:
        procedure["additionalProperty"] = facts
    performers = labels.get("practitioner", {})
    if content.get("performed_by"):
        procedure["performer"] = [
            {"@type": "Role", "roleName": performers.get(code, code)} for code in content["performed_by"]
        ]
    return {"about": procedure}


def _parent_procedure(data):
    parent = data.get("parent")
    return {"@type": "MedicalProcedure", "name": parent["title"]} if parent else None


def _benefits(data, content, labels):
    names = labels.get("concern", {})
    procedure = _parent_procedure(data)
    conditions = []
    for block in content.get("concerns") or []:
        code = block["value"]["concern"]
        condition = {"@type": "MedicalCondition", "name": names.get(code, code), "identifier": code}
        if procedure:
            condition["possibleTreatment"] = {**procedure, "@type": "MedicalTherapy"}
        _put(condition, "description", block["value"].get("description"))
        conditions.append(condition)
    return {"about": conditions} if conditions else {}


def _comparison(data, content, labels):
    devices = (content.get("comparison") or {}).get("devices") or []
    kinds = labels.get("device_kind", {})
    return {
        "about": [
            {
                "@type": "MedicalDevice",
                "name": device["name"],
                "identifier": device["key"],
                "category": kinds.get(device["kind"], device["kind"]),
            }
            for device in devices
        ]
    }


def _checklist(data, content, labels):
    checks = [block["value"]["text"] for block in content.get("items") or [] if block["value"].get("text")]
    result = {}
    procedure = _parent_procedure(data)
    if procedure:
        result["about"] = procedure
    if checks:
        result["mainEntity"] = {
            "@type": "ItemList",
            "itemListElement": [
                {"@type": "ListItem", "position": position, "name": text} for position, text in enumerate(checks, 1)
            ],
        }
    return result


_ABOUT = {
    "pages.ProcedurePage": _procedure,
    "pages.BenefitsPage": _benefits,
    "pages.DeviceComparisonPage": _comparison,
    "pages.SafetyChecklistPage": _checklist,
}


def _put(node, name, value):
    if value not in (None, "", []):
        node[name] = value


SCHEMA = {
    "type": "object",
    "description": (
        "schema.org JSON-LD for the page's <head>, built from the fields above: MedicalWebPage (WebPage for "
        "the home and index pages) with url, inLanguage, dateModified and, when the page records a medical "
        "review, reviewedBy and lastReviewed; about names the MedicalProcedure, MedicalCondition or "
        "MedicalDevice items the page covers."
    ),
    "properties": {
        "@context": {"type": "string", "enum": [CONTEXT]},
        "@type": {"type": "string", "enum": ["MedicalWebPage", "WebPage"]},
        "name": {"type": "string"},
        "inLanguage": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
        "description": {"type": "string"},
        "datePublished": {"type": "string", "format": "date-time"},
        "dateModified": {"type": "string", "format": "date-time"},
        "lastReviewed": {"type": "string", "format": "date"},
        "reviewedBy": {
            "type": "object",
            "properties": {
                "@type": {"type": "string", "enum": ["Person"]},
                "name": {"type": "string"},
                "jobTitle": {"type": "string"},
            },
            "required": ["@type", "name"],
        },
    },
    "required": ["@context", "@type", "name", "inLanguage"],
    "additionalProperties": True,
}

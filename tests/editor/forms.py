"""POST data for the page edit screens, as the admin's form sends it."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield


def procedure_form(**overrides):
    """The procedure page's edit form filled in with the microneedling facts."""
    data = {
        "title": "Microneedling",
        "slug": "microneedling",
        "summary": "Microneedling uses tiny needles to prompt the skin to make new collagen.",
        "hero_image_alt": "",
        "also_known_as": "Collagen induction therapy",
        "what_it_is": rich_text("<p>A minimally invasive treatment that makes tiny punctures in the skin.</p>"),
        "how_it_works": rich_text(""),
        "suitable_for": rich_text(""),
        "steps": streamfield([("step", {"title": "Numbing cream is applied", "description": ""})]),
        "sources": streamfield([]),
        "session_minutes_min": "10",
        "session_minutes_max": "20",
        "sessions_needed_min": "4",
        "sessions_needed_max": "6",
        "healing_days_min": "2",
        "healing_days_max": "21",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "comments": inline_formset([]),
    }
    performed_by = overrides.pop("performed_by", ["dermatologist", "aesthetician"])
    data.update(overrides)
    # A list is several values of one field here, not a nested form.
    return {**nested_form_data(data), "performed_by": performed_by}

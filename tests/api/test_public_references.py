"""Public pages as outputs show them: rich-text links, alternates, sites."""

from wagtail.models import Page

from cms.api.visibility import is_public, public_pages

from .conftest import publish


def test_visible_counterparts_are_served(site_tree, api):
    """The same outputs do show the French pages while they are public (the matrix's control)."""
    site = site_tree
    fr_ids = {page["id"] for page in api.get("/api/v1/pages/?locale=fr&limit=100").json()["results"]}
    assert {site.procedure_fr.pk, site.checklist_fr.pk} <= fr_ids
    detail = api.get(f"/api/v1/pages/{site.procedure.translation_key}/?locale=en").json()
    assert detail["alternates"]["fr"] == "/fr/microneedling/"
    assert is_public(site.procedure_fr)


def test_rich_text_links_resolve_to_the_localised_public_path(site_tree, api):
    site = site_tree
    site.home_fr = Page.objects.get(pk=site.home_fr.pk).specific
    site.home_fr.intro = f'<p><a linktype="page" id="{site.procedure.pk}">lien</a></p>'
    publish(site.home_fr)
    intro = api.get(f"/api/v1/pages/{site.home.translation_key}/?locale=fr").json()["content"]["intro"]
    # The link names the English page; French readers get the French copy.
    assert intro == '<p><a href="/fr/microneedling/">lien</a></p>'


def test_pages_outside_any_site_are_not_public(site_tree):
    orphan_home = Page.get_first_root_node().add_child(title="Orphan", slug="orphan")
    publish(orphan_home)
    assert orphan_home.live
    assert not public_pages().filter(pk=orphan_home.pk).exists()

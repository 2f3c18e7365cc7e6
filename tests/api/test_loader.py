"""The page loader returns the same page the ORM does, for every page type."""

from unittest.mock import patch

import pytest
from wagtail.models import Page

from cms.api.loader import PageLoader, image_relations
from cms.api.representation import render_page
from tests.utils import PAGE_TYPE_NAMES

from .conftest import build_site


def orm_page(page):
    """The specific page as the ORM loads it, with its locale and public images."""
    model = type(page.specific)
    relations = [field.name for field in image_relations(model)]
    return model.objects.select_related("locale", *relations).get(pk=page.pk)


def assert_same_instance(loaded, expected):
    assert type(loaded) is type(expected)
    for field in type(expected)._meta.concrete_fields:
        value, expected_value = getattr(loaded, field.attname), getattr(expected, field.attname)
        assert value == expected_value, field.name
        assert type(value) is type(expected_value), field.name  # 1 == True: the converters ran
    assert loaded._state.adding is False
    assert loaded._state.db == expected._state.db


@pytest.fixture
def site(db):
    return build_site(with_image=True)


def test_every_page_type_loads_as_the_orm_loads_it(demo):
    pages = list(Page.objects.filter(depth__gt=1))
    assert {type(page.specific).__name__ for page in pages} >= PAGE_TYPE_NAMES
    for page in pages:
        expected = orm_page(page)
        loaded = PageLoader.for_model(type(expected)).load(page.pk)
        assert_same_instance(loaded, expected)
        assert loaded.locale.language_code == expected.locale.language_code
        for relation in image_relations(type(expected)):
            image, expected_image = getattr(loaded, relation.name), getattr(expected, relation.name)
            assert (image is None) == (expected_image is None)
            if image is not None:
                assert_same_instance(image, expected_image)


def test_a_loaded_page_renders_the_same_bytes(site, django_assert_num_queries):
    expected = orm_page(site.procedure)
    with django_assert_num_queries(1):
        loaded = PageLoader.for_model(type(expected)).load(site.procedure.pk)
        assert loaded.hero_image.file.name == expected.hero_image.file.name  # no query for the image
        assert loaded.locale.language_code == "en"  # nor for the locale
    assert render_page(loaded, requested_locale="en", use_cache=False) == render_page(
        expected, requested_locale="en", use_cache=False
    )


def test_a_page_without_its_image_has_none(site):
    site.procedure.hero_image = None
    site.procedure.save_revision().publish()
    assert PageLoader.for_model(type(site.procedure)).load(site.procedure.pk).hero_image is None


def test_a_missing_page_is_none(site):
    loader = PageLoader.for_model(type(site.procedure))
    assert loader.load(site.checklist.pk) is None  # another type's id
    assert loader.load(10**9) is None


def test_a_page_deleted_since_the_index_was_built_is_not_found(site, monkeypatch):
    from cms.api import lookup
    from cms.api.errors import PageNotFound
    from cms.api.site_index import site_index

    index = site_index()
    key = site.checklist.translation_key
    site.checklist.delete()
    monkeypatch.setattr(lookup, "site_index", lambda: index)  # a read that raced the delete
    with pytest.raises(PageNotFound):
        lookup.resolve(key, "en", fallback=False)


def test_public_detail_reads_load_pages_with_the_loader(site, api):
    with patch.object(PageLoader, "load", autospec=True, side_effect=PageLoader.load) as load:
        assert api.get(f"/api/v1/pages/{site.procedure.translation_key}/").status_code == 200
    assert [call.args[1] for call in load.call_args_list] == [site.procedure.pk]

"""Where each page type may be created: the tree editors get in the admin."""

import pytest
from wagtail.models import Page

from pages.models import (
    BenefitsPage,
    DeviceComparisonPage,
    HomePage,
    ProcedureIndexPage,
    ProcedurePage,
    SafetyChecklistPage,
)
from tests.utils import build_page, root_page

PAGE_TYPES = [HomePage, ProcedureIndexPage, ProcedurePage, BenefitsPage, DeviceComparisonPage, SafetyChecklistPage]

# The rules of DESIGN's content model, written out as the specification.
ALLOWED_PARENTS = {
    HomePage: {Page},
    ProcedureIndexPage: {HomePage},
    ProcedurePage: {HomePage, ProcedureIndexPage},
    BenefitsPage: {ProcedurePage},
    DeviceComparisonPage: {ProcedurePage},
    SafetyChecklistPage: {ProcedurePage},
}


@pytest.fixture
def tree(db):
    """One page of every type, arranged as the rules allow."""
    home = build_page(HomePage, root_page(), title="Clinic", slug="clinic")
    index = build_page(ProcedureIndexPage, home, title="Treatments")
    procedure = build_page(
        ProcedurePage,
        index,
        title="Microneedling",
        summary="Tiny needles.",
        what_it_is="<p>A treatment.</p>",
        performed_by=["dermatologist"],
    )
    return {
        Page: root_page(),
        HomePage: home,
        ProcedureIndexPage: index,
        ProcedurePage: procedure,
        BenefitsPage: build_page(BenefitsPage, procedure, summary="Benefits."),
        DeviceComparisonPage: build_page(DeviceComparisonPage, procedure, summary="Devices."),
        SafetyChecklistPage: build_page(SafetyChecklistPage, procedure, summary="Safety."),
    }


@pytest.mark.parametrize("child", PAGE_TYPES, ids=lambda model: model.__name__)
@pytest.mark.parametrize("parent", [Page, *PAGE_TYPES], ids=lambda model: f"under-{model.__name__}")
def test_page_type_can_be_created_only_under_its_allowed_parents(tree, child, parent):
    allowed = parent in ALLOWED_PARENTS[child]
    parent_page = tree[parent]
    if allowed and child.max_count_per_parent == 1 and child in tree and tree[child].get_parent().pk == parent_page.pk:
        # The tree already holds the one child this parent may have; a fresh parent may hold one.
        assert not child.can_create_at(parent_page)
        return
    assert child.can_create_at(parent_page) is allowed


def test_a_procedure_holds_one_page_of_each_kind(tree):
    procedure = tree[ProcedurePage]
    for child in (BenefitsPage, DeviceComparisonPage, SafetyChecklistPage):
        assert not child.can_create_at(procedure), f"a second {child.__name__} was allowed"
    other = build_page(
        ProcedurePage,
        tree[HomePage],
        title="Peel",
        summary="A peel.",
        what_it_is="<p>A chemical peel.</p>",
        performed_by=["dermatologist"],
    )
    assert all(child.can_create_at(other) for child in (BenefitsPage, DeviceComparisonPage, SafetyChecklistPage))

"""Fixtures for the medical sign-off tests: the editor tests' small clinic (English and
French homes under the product's “Medical review” workflow, its markets and rule packs),
its roles, and builders for pages approved through the product's own approval."""

import pytest
from django.core.cache import cache
from wagtail.models import Page

from tests.delivery import conftest as delivery_fixtures
from tests.editor import conftest as editor_fixtures
from tests.utils import procedure_page

# The editor tests' clinic and roles (the product's groups, with reviewer profiles).
clinic = editor_fixtures.clinic
editor = editor_fixtures.editor
reviewer = editor_fixtures.reviewer
reviewer_fr = editor_fixtures.reviewer_fr
superuser = editor_fixtures.superuser
translator = editor_fixtures.translator
make_reviewer = editor_fixtures.make_reviewer
publish_approved = editor_fixtures.publish_approved
# The demo clinics (Madrid and London showing the library), loaded once per module.
clinic_demo = delivery_fixtures.clinic_demo
clinics = delivery_fixtures.clinics


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def submit(page, user):
    page.save_revision(user=user)
    return page.get_workflow().start(page, user)


def act(workflow_state, user, action, comment=""):
    task_state = workflow_state.current_task_state.specific
    task_state.task.specific.on_action(task_state, user, action, comment=comment)
    return task_state


def fresh(page):
    return Page.objects.get(pk=page.pk).specific


@pytest.fixture
def procedure(clinic, reviewer):
    """A live English procedure page approved by the en-GB reviewer."""
    return publish_approved(clinic.index.add_child(instance=procedure_page(live=False)), reviewer)

import pytest
from django.core.management import call_command

from cms.api import cache_backend, invalidation


@pytest.fixture(autouse=True)
def fresh_serving_state():
    """Each test's database starts anew (a rolled-back transaction), so does what this
    process knows of it: the site index and its place in the invalidation log."""
    invalidation.reset()
    cache_backend.failure.update(since=None, error=None, checked=0.0)  # a Redis failure of an earlier test
    yield
    invalidation.reset()
    cache_backend.failure.update(since=None, error=None, checked=0.0)


def _load_demo(capture, *args):
    # wagtail-localize publishes translations on commit; a test's transaction never
    # commits, so the callbacks are run as they are registered.
    with capture(execute=True):
        call_command("load_demo_content", *args, verbosity=0)


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    """The microneedling demo in every locale, loaded into the test database."""
    _load_demo(django_capture_on_commit_callbacks, "--no-accounts")


@pytest.fixture
def demo_with_accounts(db, django_capture_on_commit_callbacks):
    """The demo plus its editor, reviewer, translator and admin accounts."""
    _load_demo(django_capture_on_commit_callbacks)

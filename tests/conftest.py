import secrets
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import translation

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
    # A test client request in French leaves French active in this thread (Django's
    # LocaleMiddleware activates a language per request and never resets it); code
    # a later test runs outside a request would speak French.
    translation.deactivate()


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


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """SeaweedFS's S3 gateway on 127.0.0.1, started once for the session (tests/s3server.py)."""
    from tests.s3server import start_s3_server

    server = start_s3_server(tmp_path_factory.mktemp("seaweedfs"))
    yield server
    server.stop()


@pytest.fixture
def object_storage(settings, s3_server, monkeypatch):
    """Media, bundles and translator uploads on the S3 server, configured from the environment
    as an operator would (cms.storage.config), under prefixes of this test's own."""
    from cms.storage.config import storages_from_env

    prefix = f"t{secrets.token_hex(4)}"
    env = {**s3_server.env(), "AWS_LOCATION": f"{prefix}/media", "BUNDLE_LOCATION": f"{prefix}/bundles"}
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, env[name])  # boto3 reads credentials from the environment
    settings.STORAGES = {
        **storages_from_env(env, media_root=settings.MEDIA_ROOT, media_url=settings.MEDIA_URL),
        "staticfiles": settings.STORAGES["staticfiles"],
    }
    return SimpleNamespace(server=s3_server, env=env, prefix=prefix, client=s3_server.client())


@pytest.fixture
def storage_down(settings, monkeypatch):
    """Media, bundles and translator uploads on object storage that does not answer: the
    operator's configuration, pointed at a port where no S3 server listens."""
    from cms.storage.config import storages_from_env
    from tests.processes import free_port

    env = {
        "AWS_STORAGE_BUCKET_NAME": "cms-media",
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_S3_TIMEOUT": "1",
    }
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "cms")  # so the failure is the connection, not missing credentials
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "unused")
    settings.STORAGES = {
        **storages_from_env(env, media_root=settings.MEDIA_ROOT, media_url=settings.MEDIA_URL),
        "staticfiles": settings.STORAGES["staticfiles"],
    }

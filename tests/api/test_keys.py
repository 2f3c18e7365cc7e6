"""API keys: hashed, revocable, scoped; drafts need the preview scope; anonymous throttling."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from cms.api.models import ApiKey, hash_key

from .conftest import build_site


@pytest.fixture
def site(db):
    return build_site(with_french=False)


def test_keys_are_stored_hashed(db):
    api_key, raw_key = ApiKey.objects.create_key(name="App", scopes=["preview"])
    stored = ApiKey.objects.get(pk=api_key.pk)
    assert raw_key not in (stored.hashed_key, stored.prefix)
    assert stored.hashed_key == hash_key(raw_key)
    assert ApiKey.objects.for_raw_key(raw_key) == stored
    assert ApiKey.objects.for_raw_key(raw_key + "x") is None


def test_preview_scope_reads_the_latest_draft(site, api):
    site.procedure.title = "Microneedling (draft)"
    site.procedure.save_revision()  # saved, not published
    url = f"/api/v1/pages/{site.procedure.translation_key}/"
    assert api.get(url).json()["title"] == "Microneedling"
    assert api.get(url + "?version=draft").status_code == 401

    _key, preview = ApiKey.objects.create_key(name="Preview", scopes=["preview"])
    draft = api.get(url + "?version=draft", HTTP_AUTHORIZATION=f"Api-Key {preview}")
    assert draft.status_code == 200
    assert draft.json()["title"] == "Microneedling (draft)"
    assert draft.json()["meta"]["version"] == "draft"
    assert draft["Cache-Control"] == "private, no-store"

    _key, export_only = ApiKey.objects.create_key(name="Export", scopes=["export"])
    refused = api.get(url + "?version=draft", HTTP_AUTHORIZATION=f"Api-Key {export_only}")
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"


def test_drafts_of_never_published_pages_need_the_key(site, api):
    from pages.models import SafetyChecklistPage

    page = SafetyChecklistPage(
        title="New checklist", slug="new", summary="Soon.", live=False
    )  # as the admin saves a draft
    site.procedure.add_child(instance=page)
    page.save_revision()
    url = f"/api/v1/pages/{page.translation_key}/"
    assert api.get(url).status_code == 404
    _key, preview = ApiKey.objects.create_key(name="Preview", scopes=["preview"])
    assert api.get(url + "?version=draft", HTTP_X_API_KEY=preview).json()["title"] == "New checklist"


def test_revoked_and_wrong_keys_are_refused(site, api):
    api_key, raw_key = ApiKey.objects.create_key(name="Preview", scopes=["preview"])
    url = f"/api/v1/pages/{site.procedure.translation_key}/?version=draft"
    assert api.get(url, HTTP_AUTHORIZATION=f"Api-Key {raw_key}").status_code == 200
    api_key.revoke()
    assert ApiKey.objects.get(pk=api_key.pk).revoked_at is not None
    revoked = api.get(url, HTTP_AUTHORIZATION=f"Api-Key {raw_key}")
    assert revoked.status_code == 401
    assert revoked.json()["detail"] == "This API key is unknown or has been revoked."
    assert api.get(url, HTTP_AUTHORIZATION="Bearer whatever").status_code == 401


def test_create_api_key_command_prints_the_key_once(db, capsys):
    call_command("create_api_key", "--name", "Clinic app", "--scope", "preview", "--scope", "export")
    raw_key = capsys.readouterr().out.strip()
    api_key = ApiKey.objects.get()
    assert ApiKey.objects.for_raw_key(raw_key) == api_key
    assert (api_key.name, api_key.scopes) == ("Clinic app", ["export", "preview"])


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--name", "X", "--scope", "admin"], "Unknown scope(s): admin"),
        (["--name", "  ", "--scope", "preview"], "--name must not be blank"),
        (["--name", "X"], "Give at least one --scope"),
    ],
)
def test_create_api_key_command_refuses_garbage_and_creates_nothing(db, arguments, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("create_api_key", *arguments)
    assert not ApiKey.objects.exists()


def test_keys_are_created_in_the_admin_and_shown_once(site, client, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "admin@example.com", "pw")
    client.force_login(admin)
    response = client.post(
        "/admin/api_keys/new/", {"name": "Partner", "scopes": ["translation"], "is_active": "on"}, follow=True
    )
    assert response.status_code == 200
    api_key = ApiKey.objects.get(name="Partner")
    shown = [str(message) for message in response.context["messages"]]
    raw_key = next(m for m in shown if api_key.prefix in m).split("<code>")[1].split("</code>")[0]
    assert ApiKey.objects.for_raw_key(raw_key) == api_key
    assert raw_key not in client.get("/admin/api_keys/").content.decode()


def test_admin_form_refuses_an_unknown_scope(site, client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@example.com", "pw"))
    response = client.post("/admin/api_keys/new/", {"name": "Partner", "scopes": ["root"]})
    assert response.status_code == 200  # the form again, with its error
    assert not ApiKey.objects.exists()


@override_settings(API_ANON_THROTTLE_RATE="3/minute")
def test_anonymous_clients_are_throttled_with_retry_after(site, api):
    url = f"/api/v1/pages/{site.procedure.translation_key}/"
    assert [api.get(url).status_code for _ in range(3)] == [200, 200, 200]  # the 2nd and 3rd are cache hits
    throttled = api.get(url)
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert throttled["Content-Type"] == "application/problem+json"
    _key, raw_key = ApiKey.objects.create_key(name="App", scopes=["export"])
    assert api.get(url, HTTP_AUTHORIZATION=f"Api-Key {raw_key}").status_code == 200  # keys are not throttled

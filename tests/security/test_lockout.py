"""The admin's sign-in lockout (django-axes, cms.security.lockout), through the real
sign-in page: repeated failures lock one username out from one client address, the page
says when to try again in the visitor's language, the right password is refused while
locked, and a forged X-Forwarded-For never buys a fresh count."""

import pytest
from django.test import Client, override_settings

from cms.security.lockout import client_ip
from pages.demo.accounts import demo_password, ensure_demo_users

LOGIN = "/admin/login/"


@pytest.fixture
def accounts(db):
    """The demo accounts as the product creates them (no account is exempt)."""
    ensure_demo_users()


def sign_in(client, password, username="admin", **headers):
    return client.post(LOGIN, {"username": username, "password": password}, **headers)


def signed_in(client):
    return client.get("/admin/").status_code == 200


def fail_until_locked(client, limit, **headers):
    """Wrong passwords up to the limit; returns the responses."""
    return [sign_in(client, "wrong password", **headers) for _attempt in range(limit)]


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_out_and_the_right_password_is_refused(accounts):
    client = Client()
    first, second, third = fail_until_locked(client, 3)
    assert first.status_code == second.status_code == 200  # the sign-in page with its error
    assert third.status_code == 429
    assert third["Retry-After"] == "900"
    body = third.content.decode()
    assert "Sign-in is locked: try again in 15 minutes, at" in body
    assert 'name="password"' in body  # still the sign-in page, ready for later

    locked = sign_in(client, demo_password())
    assert locked.status_code == 429
    assert "try again in 15 minutes" in locked.content.decode()
    assert not signed_in(client)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_lockout_is_per_username_and_address(accounts):
    fail_until_locked(Client(REMOTE_ADDR="198.51.100.7"), 3)
    elsewhere = Client(REMOTE_ADDR="198.51.100.8")
    assert sign_in(elsewhere, demo_password()).status_code == 302
    assert signed_in(elsewhere)
    other_account = Client(REMOTE_ADDR="198.51.100.7")
    assert sign_in(other_account, demo_password(), username="editor").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_lockout_message_is_in_the_visitors_language(accounts):
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    *_earlier, locked = fail_until_locked(client, 3)
    assert locked.status_code == 429
    assert "réessayez dans 15 minutes" in locked.content.decode()


@pytest.mark.parametrize(
    "proxies",
    [
        {},  # the default: no proxy is trusted, the header is ignored
        {"TRUSTED_PROXY_NETWORKS": ["10.0.0.0/8"]},  # the peer is not one of the proxies
    ],
    ids=["no-trusted-proxy", "untrusted-peer"],
)
def test_a_forged_forwarded_for_gets_no_fresh_count(accounts, proxies):
    with override_settings(AXES_FAILURE_LIMIT=3, **proxies):
        client = Client(REMOTE_ADDR="203.0.113.9")
        statuses = [
            sign_in(client, "wrong password", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}").status_code
            for attempt in range(1, 4)
        ]
        assert statuses == [200, 200, 429]
        assert sign_in(client, demo_password(), HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429


@override_settings(AXES_FAILURE_LIMIT=3, TRUSTED_PROXY_NETWORKS=["10.0.0.0/8"])
def test_behind_a_trusted_proxy_each_client_has_its_own_count(accounts):
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    fail_until_locked(proxy, 3, HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert sign_in(proxy, demo_password(), HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 429
    assert sign_in(proxy, demo_password(), HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 302


def test_a_request_without_an_address_is_counted_without_one(rf):
    """axes keeps the address in an IP address column (PostgreSQL's inet): a request made
    in code (the test client's force_login) has none, and stores none."""
    request = rf.get(LOGIN, REMOTE_ADDR="")
    assert client_ip(request) is None
    assert client_ip(rf.get(LOGIN, REMOTE_ADDR="203.0.113.9")) == "203.0.113.9"

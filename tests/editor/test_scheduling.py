"""Scheduled publishing and expiry, set in the admin and carried out by `publish_scheduled`."""

import datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from pages.models import ProcedurePage
from tests.utils import procedure_page

from .forms import procedure_form

pytestmark = pytest.mark.django_db


def local(value):
    """The admin's date-time widget format."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def approve(page, reviewer, client):
    task_state = page.current_workflow_task_state
    client.force_login(reviewer)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    client.post(url, {"comment": ""})
    client.logout()
    page.refresh_from_db()


def run_publish_scheduled(at):
    with mock.patch("django.utils.timezone.now", return_value=at):
        call_command("publish_scheduled", verbosity=0)


def test_go_live_set_in_the_admin_publishes_only_when_its_time_comes(clinic, editor, reviewer, client):
    now = timezone.now().replace(second=0, microsecond=0)
    go_live = now + datetime.timedelta(days=3)
    client.force_login(editor)
    client.post(
        reverse("wagtailadmin_pages:add", args=["pages", "procedurepage", clinic.index.pk]),
        procedure_form(go_live_at=local(go_live), **{"action-submit": "1"}),
    )
    client.logout()
    page = ProcedurePage.objects.get(slug="microneedling")

    approve(page, reviewer, client)

    assert not page.live  # approved, but waiting for its date
    assert page.go_live_at == go_live
    scheduled = page.revisions.filter(approved_go_live_at__isnull=False).get()
    assert scheduled.approved_go_live_at == go_live
    assert scheduled.as_object().reviewed_by == "Dr Ana Ruiz, Dermatologist"

    run_publish_scheduled(at=go_live - datetime.timedelta(minutes=1))
    page.refresh_from_db()
    assert not page.live

    run_publish_scheduled(at=go_live + datetime.timedelta(minutes=1))
    page.refresh_from_db()
    assert page.live
    assert page.live_revision_id == scheduled.pk
    assert page.reviewed_by == "Dr Ana Ruiz, Dermatologist"


def test_expiry_set_in_the_admin_takes_the_page_down(clinic, editor, reviewer, client):
    now = timezone.now().replace(second=0, microsecond=0)
    expiry = now + datetime.timedelta(days=30)
    client.force_login(editor)
    client.post(
        reverse("wagtailadmin_pages:add", args=["pages", "procedurepage", clinic.index.pk]),
        procedure_form(expire_at=local(expiry), **{"action-submit": "1"}),
    )
    client.logout()
    page = ProcedurePage.objects.get(slug="microneedling")
    approve(page, reviewer, client)
    assert page.live and page.expire_at == expiry

    run_publish_scheduled(at=expiry - datetime.timedelta(minutes=1))
    page.refresh_from_db()
    assert page.live

    run_publish_scheduled(at=expiry + datetime.timedelta(minutes=1))
    page.refresh_from_db()
    assert not page.live
    assert page.expired


def test_expiry_before_go_live_is_refused_and_nothing_changes(clinic, editor, client):
    page = clinic.index.add_child(instance=procedure_page(live=False))
    revisions = page.revisions.count()
    now = timezone.now()
    client.force_login(editor)

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        procedure_form(
            go_live_at=local(now + datetime.timedelta(days=5)), expire_at=local(now + datetime.timedelta(days=2))
        ),
    )

    assert response.status_code == 200
    assert "expire_at" in response.context["form"].errors
    assert "must be before expiry" in str(response.context["form"].errors["expire_at"])
    page.refresh_from_db()
    assert page.revisions.count() == revisions
    assert page.go_live_at is None and page.expire_at is None

"""A reviewer's “Request changes” through the admin's workflow modal: the audit record of the
rejection carries the comment they typed, the export shows it, and the chain still verifies."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from cms.review.models import AuditEvent, AuditRecord
from tests.editor.forms import procedure_form
from tests.utils import procedure_page

from .conftest import fresh, submit

pytestmark = pytest.mark.django_db

COMMENT = "Check the healing time against the 2017 review: “3 days” is not in it."


def test_the_rejection_record_carries_the_reviewers_comment(clinic, editor, reviewer, client):
    page = clinic.index.add_child(instance=procedure_page(live=False))
    state = submit(page, editor)
    task_state = state.current_task_state
    client.force_login(reviewer)

    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "reject", task_state.pk])
    modal = client.get(url, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert modal.status_code == 200 and 'name="comment"' in modal.json()["html"]
    response = client.post(url, {"comment": COMMENT}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 200 and response.json()["step"] == "success", response.content

    task_state.refresh_from_db()
    assert task_state.status == task_state.STATUS_REJECTED and task_state.comment == COMMENT
    assert not fresh(page).live
    record = AuditRecord.objects.get(page_id=page.pk, event=AuditEvent.REJECTED)
    assert (record.actor, record.market, record.details["comment"]) == ("reviewer", "en-GB", COMMENT)

    out = io.StringIO()
    call_command("export_audit", "--page", str(page.translation_key), "--format", "json", stdout=out)
    exported = json.loads(out.getvalue())["records"]
    assert [(row["event"], row["details"].get("comment")) for row in exported] == [
        ("submitted", None),
        ("rejected", COMMENT),
    ]
    out = io.StringIO()
    call_command("export_audit", "--page", str(page.translation_key), "--format", "csv", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert json.loads(rows[-1]["details"])["comment"] == COMMENT

    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert out.getvalue() == f"The audit trail is intact ({AuditRecord.objects.count()} records).\n"

    client.force_login(editor)  # the editor reads why in the page's sign-off trail
    trail = client.get(reverse("review_audit_trail", args=[page.pk])).content.decode()
    assert 'data-audit-event="rejected"' in trail
    assert "Check the healing time against the 2017 review" in trail


def test_a_rejection_from_the_edit_screen_carries_the_comment_too(clinic, editor, reviewer, client):
    """The edit screen's “Request changes”: the modal collects the comment, the edit form sends it."""
    page = clinic.index.add_child(instance=procedure_page(live=False))
    task_state = submit(page, editor).current_task_state
    client.force_login(reviewer)

    collect = reverse("wagtailadmin_pages:collect_workflow_action_data", args=[page.pk, "reject", task_state.pk])
    collected = client.post(collect, {"comment": COMMENT}, HTTP_X_REQUESTED_WITH="XMLHttpRequest").json()
    assert collected["step"] == "success"
    form = procedure_form(title=page.title, slug=page.slug)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        {
            **form,
            "action-workflow-action": "true",
            "workflow-action-name": "reject",
            "workflow-action-extra-data": json.dumps(collected["cleaned_data"]),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    record = AuditRecord.objects.get(page_id=page.pk, event=AuditEvent.REJECTED)
    assert (record.actor, record.details["comment"]) == ("reviewer", COMMENT)
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "is intact" in out.getvalue()

"""The audit trail: append-only, chained by hash, exported per page and market, verified,
and shown in the admin. Tampering is found: a changed row, a deleted row, a cut-off end."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from cms.review import audit
from cms.review.models import AppendOnly, AuditEvent, AuditRecord
from tests.utils import procedure_page

from .conftest import act, fresh, publish_approved, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(clinic, editor, reviewer, reviewer_fr):
    """A submission, an approval and a publish in en-GB, an edit voiding it, then a French approval."""
    page = clinic.index.add_child(instance=procedure_page(live=False))
    act(submit(page, editor), reviewer, "approve")
    from wagtail_localize.models import TranslationSource

    source, _created = TranslationSource.get_or_create_from_instance(fresh(page))
    french, _created = source.create_or_update_translation(clinic.french, publish=False, fallback=True)
    publish_approved(fresh(french), reviewer_fr)
    draft = fresh(page)
    draft.summary = "Changed after approval."
    draft.save_revision()
    return fresh(page)


def verify_output():
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except CommandError as failure:
        return False, err.getvalue() + str(failure)
    return True, out.getvalue()


def test_every_step_is_chained_to_the_one_before(history):
    records = list(AuditRecord.objects.order_by("seq"))
    assert [r.event for r in records] == [
        AuditEvent.SUBMITTED,
        AuditEvent.APPROVED,
        AuditEvent.PUBLISHED,
        AuditEvent.APPROVED,
        AuditEvent.PUBLISHED,
        AuditEvent.VOIDED,
    ]
    assert records[0].previous_hash == audit.GENESIS
    for before, after in zip(records, records[1:], strict=False):
        assert after.previous_hash == before.record_hash
        assert after.seq == before.seq + 1
    assert records[1].details["registration"] == "GMC 7123456"
    assert records[3].market == "fr-FR" and records[3].details["reviewer"] == "Dr Camille Martin"
    assert verify_output() == (True, f"The audit trail is intact ({len(records)} records).\n")


def test_records_cannot_be_changed_or_deleted_from_code(history):
    record = AuditRecord.objects.first()
    record.actor = "someone else"
    with pytest.raises(AppendOnly):
        record.save()
    with pytest.raises(AppendOnly):
        record.delete()
    assert AuditRecord.objects.first().actor == "editor"


def test_a_row_changed_in_the_database_is_found(history):
    table = AuditRecord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET actor = %s WHERE seq = %s", ["reviewer-fr", 2])  # noqa: S608

    ok, report = verify_output()

    assert not ok
    assert "record 2: was changed after it was written" in report


def test_a_row_deleted_in_the_database_is_found(history):
    table = AuditRecord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE seq = %s", [3])  # noqa: S608

    ok, report = verify_output()

    assert not ok
    assert "record 4: records 3 to 3 are missing" in report
    assert "record 4: does not follow the record before it" in report


def test_the_last_rows_deleted_are_found(history):
    last = AuditRecord.objects.order_by("-seq").first().seq
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditRecord._meta.db_table} WHERE seq = %s", [last])  # noqa: S608

    ok, report = verify_output()

    assert not ok and f"the trail ends at record {last - 1}" in report


def test_export_per_page_and_market_as_json_and_csv(history):
    out = io.StringIO()
    call_command(
        "export_audit", "--page", str(history.translation_key), "--market", "fr-FR", "--format", "json", stdout=out
    )
    records = json.loads(out.getvalue())["records"]
    assert [r["event"] for r in records] == ["approved", "published"]
    assert all(r["market"] == "fr-FR" and r["page_key"] == str(history.translation_key) for r in records)
    stored = AuditRecord.objects.get(seq=records[0]["seq"])
    assert records[0]["record_hash"] == stored.record_hash == audit.record_hash(stored)

    out = io.StringIO()
    call_command("export_audit", "--page", str(history.translation_key), "--format", "csv", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [row["event"] for row in rows] == [r.event for r in AuditRecord.objects.order_by("seq")]
    assert json.loads(rows[-1]["details"])["reason"] == "edited"


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--page", "not-a-key"], "is not a page key"), (["--market", "xx-XX"], "is not a market; known: ")],
)
def test_export_refuses_bad_input_and_changes_nothing(history, args, message):
    before = AuditRecord.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("export_audit", *args, stdout=io.StringIO())
    assert AuditRecord.objects.count() == before


def test_the_admin_shows_a_pages_trail(history, editor, client):
    client.force_login(editor)
    response = client.get(reverse("review_audit_trail", args=[history.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-audit-event="') == AuditRecord.objects.filter(page_key=str(history.translation_key)).count()
    assert 'data-audit-event="voided"' in html and "GMC 7123456" in html

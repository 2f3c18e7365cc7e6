"""``manage.py translation_status``: table, JSON, locale filter, --check, bad arguments."""

import json
from io import StringIO

import pytest
from django.core.management import ManagementUtility, call_command

from tests.translation.builders_status import (
    stale_french_site,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    """French: home untranslated, procedure translated then made stale. German: home only."""
    return stale_french_site(machine=True, home_into=("fr", "de"))


@pytest.fixture
def manage(capsys):
    """Run the command as manage.py would; returns (exit code, stdout, stderr)."""

    def manage(*args):
        code = 0
        try:
            ManagementUtility(["manage.py", "translation_status", *args]).execute()
        except SystemExit as exit:
            code = exit.code
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return manage


def test_json_lists_each_page_and_locale_with_counts(site, manage):
    code, out, _err = manage("--format", "json", "--locale", "fr")
    assert code == 0
    rows = {row["page"]["title"]: row for row in json.loads(out)}
    assert set(rows) == {"Clinic", "Microneedling"}
    procedure = rows["Microneedling"]
    assert procedure["locale"] == "fr"
    assert procedure["state"] == "stale"
    assert procedure["segments"] == {
        "total": 9,
        "translated": 8,
        "stale": 1,
        "untranslated": 0,
        "machine": 8,
        "flagged": 0,
    }
    assert procedure["percent"] == 88
    assert rows["Clinic"]["state"] == "incomplete"
    assert rows["Clinic"]["percent"] == 0


def test_table_shows_one_line_per_page_and_locale(site, manage):
    code, out, _err = manage("--locale", "fr", "--locale", "de")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == [
        "Page",
        "Locale",
        "State",
        "Done",
        "Translated",
        "Stale",
        "Machine",
        "Total",
        "Source",
        "review",
        "Review",
        "Last",
        "change",
    ]
    body = [line.split() for line in lines[1:]]
    assert [cells[:4] for cells in body] == [
        ["Clinic", "fr", "incomplete", "0%"],  # in the order the locales were asked for
        ["Clinic", "de", "incomplete", "0%"],
        ["Microneedling", "fr", "stale", "88%"],
        ["Microneedling", "de", "missing", "0%"],
    ]
    assert body[2][4:8] == ["8", "1", "8", "9"]


def test_check_fails_while_a_translation_is_unfinished(site, manage):
    code, _out, err = manage("--check", "--locale", "fr")
    assert code == 1
    assert "2 of 2 page translations are not complete" in err


def test_unknown_locale_is_refused_with_the_valid_choices(site, manage):
    code, out, err = manage("--locale", "xx")
    assert code == 1
    assert "Unknown locale 'xx'. Choose from: de, es, fr." in err
    assert out == ""


def test_source_locale_is_refused_as_a_target(site, manage):
    code, _out, err = manage("--locale", "en")
    assert code == 1
    assert "en is the source locale" in err


def test_unknown_format_is_refused(site, manage):
    code, out, err = manage("--format", "xml")
    assert code == 2
    assert "invalid choice: 'xml'" in err
    assert out == ""


def test_call_command_reports_through_stdout(site):
    out = StringIO()
    call_command("translation_status", "--locale", "de", "--format", "json", stdout=out)
    assert [row["state"] for row in json.loads(out.getvalue())] == ["incomplete", "missing"]


def test_show_stale_lists_new_text_old_text_and_old_translation(site, manage):
    code, out, _err = manage("--locale", "fr", "--show-stale")
    assert code == 0
    stale_part = out.split("Stale in Microneedling (fr):", 1)[1].splitlines()
    assert [line.strip() for line in stale_part[1:5]] == [
        "summary",
        "now:         Fine needles start the skin's own repair.",
        "was:         Tiny needles prompt the skin to make collagen.",
        "translation: FR Tiny needles prompt the skin to make collagen.",
    ]

"""The per-unit checks, on the strings translators actually send back."""

import pytest

from cms.translation.qa import check_markup, check_numbers, check_placeholders, check_segment


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("Needles 0.5 to 2.5 mm long.", "Aiguilles de 0,5 à 2,5 mm."),
        ("Sessions last 10–20 minutes.", "Les séances durent de 10 à 20 minutes."),
        ("Over 1,000 patients.", "Plus de 1 000 patients."),
        ("Over 1,000 patients.", "Mehr als 1.000 Patienten."),
        ("4–6 sessions", "6–4 séances"),  # order may change with grammar; the values may not
    ],
)
def test_numbers_written_the_local_way_pass(source, target):
    assert check_numbers(source, target) == []


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [
        ("Needles 0.5 mm long.", "Aiguilles de 5 mm.", "the source has 0.5, the translation has 5."),
        ("4–6 sessions", "4–8 séances", "the source has 4, 6, the translation has 4, 8."),
        ("Wait 30 minutes.", "Attendez quelques minutes.", "the source has 30, the translation has none."),
        ("Wait a little.", "Attendez 2 minutes.", "the source has none, the translation has 2."),
    ],
)
def test_changed_missing_or_invented_numbers_are_rejected(source, target, message):
    (problem,) = check_numbers(source, target)
    assert problem.endswith(message)


def test_numbers_inside_markup_ids_do_not_count():
    assert check_numbers('Read <a id="a1">the review</a>.', 'Lisez <a id="a1">l’étude</a>.') == []


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("<b>Aiguilles", "<b> is never closed."),
        ("Aiguilles</b>", "</b> closes a tag that is not open."),
        ("<b><i>Aiguilles</b></i>", "</b> closes a tag that is not open."),
        ("<script>alert(1)</script><b>x</b>", "<script> is not allowed; only inline tags such as <b> and <a>."),
        ('<b onclick="x()">Aiguilles</b>', "Strings cannot have any HTML tags with attributes"),
        ("<i>Aiguilles</i>", "The markup differs from the source: missing <b>; unexpected <i>."),
    ],
)
def test_broken_or_changed_markup_is_rejected(target, message):
    problems = check_markup("<b>Needles</b>", target)
    assert any(problem.startswith(message) for problem in problems), problems


def test_link_ids_must_be_those_of_the_source():
    problems = check_markup('<a id="a1">review</a>', '<a id="a2">étude</a>')
    assert any("Unrecognised id found in an <a> tag: a2" in problem for problem in problems)


def test_placeholders_are_kept():
    assert check_placeholders("Hello {name}, %(count)s sessions", "Bonjour {name}, %(count)s séances") == []
    (problem,) = check_placeholders("Hello {name}", "Bonjour {nom}")
    assert problem == "Placeholders differ from the source: expected {name}, found {nom}."


def test_length_counts_what_readers_see_not_markup():
    assert check_segment("<b>Needling</b>", "<b>" + "x" * 10 + "</b>", max_length=10) == []
    (problem,) = check_segment("Needling", "x" * 11, max_length=10)
    assert problem.check == "length"
    assert problem.message == "The translation is 11 characters long; this field allows at most 10."

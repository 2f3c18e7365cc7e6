"""Inline codes: wagtail-localize HTML out as XLIFF codes, and back through the source's codes only."""

import pytest
from lxml import etree

from cms.translation.packages.inline import XLIFF2, read_content, write_xliff2_content, write_xliff12_content

SOURCE = 'Read <a id="a1">the <b>2017</b> review</a> &amp; more.<br>Soon.'


def xliff2(text, reference=None):
    element, data = etree.Element(f"{{{XLIFF2}}}target"), {}
    write_xliff2_content(element, text, data, reference=reference)
    return element, data


def target(xml):
    return etree.fromstring(f'<target xmlns="{XLIFF2}">{xml}</target>')


def test_xliff2_round_trip_gives_back_the_html():
    element, data = xliff2(SOURCE)
    assert "".join(element.itertext()) == "Read the 2017 review & more.Soon."
    assert data == {"d1": '<a id="a1">', "d1e": "</a>", "d2": "<b>", "d2e": "</b>", "d3": "<br>"}
    assert read_content([element], SOURCE) == (SOURCE, [])


def test_xliff12_uses_g_and_x():
    element = etree.Element("target")
    write_xliff12_content(element, SOURCE)
    assert [(child.tag.split("}")[-1], child.get("ctype")) for child in element.iter() if child is not element] == [
        ("g", "link"),
        ("g", "bold"),
        ("x", "lb"),
    ]


def test_a_translation_that_moves_tags_keeps_their_ids():
    translation = 'Bientôt.<br>Et lisez <a id="a1">l’étude de <b>2017</b></a>.'
    element, _data = xliff2(translation, reference=SOURCE)
    assert [child.get("id") for child in element.iter() if child is not element] == ["3", "1", "2"]
    assert read_content([element], SOURCE) == (translation, [])


@pytest.mark.parametrize(
    ("xml", "problem"),
    [
        ('<pc id="1">x</pc><ph id="3"/>', "Inline codes missing from the translation: 2 (<b>…</b>)."),
        ('<pc id="1"><pc id="2">x</pc></pc><ph id="3"/><ph id="3"/>', "Inline code 3 (<br>) is used twice."),
        ('<pc id="1"><pc id="2">x</pc></pc><ph id="9"/>', "Inline code 9 is not in the source."),
        ('<sc id="1"/><sc id="2"/>x<ec startRef="1"/><ec startRef="2"/><ph id="3"/>', "Inline codes 1 and 2 overlap"),
        ('<ec startRef="1"/><pc id="2">x</pc><sc id="1"/><ph id="3"/>', 'Inline code 1 (<a id="a1">…</a>) closes'),
        ('<ph id="1"/><pc id="2">x</pc><ph id="3"/>', 'Inline code 1 (<a id="a1">…</a>) must wrap text'),
    ],
)
def test_code_problems_are_named(xml, problem):
    _text, problems = read_content([target(xml)], SOURCE)
    assert any(message.startswith(problem) for message in problems), problems


def test_markers_code_points_and_folded_whitespace():
    element = target(
        '\n  <mrk id="m1" type="term">Lire</mrk> <pc id="1"><pc id="2">x</pc></pc>\n <ph id="3"/><cp hex="0001"/>\n'
    )
    text, problems = read_content([element], SOURCE, preserve=False)
    assert problems == []
    assert text == 'Lire <a id="a1"><b>x</b></a> <br>\x01'

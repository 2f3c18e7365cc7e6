"""The glossary: edited in the admin, exported as TBX (read back by translate-toolkit)
or CSV, imported all or nothing, and sent to DeepL as a glossary, tested against a
local fake of DeepL's API run as its own process."""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from translate.storage.tbx import tbxfile
from wagtail_localize.strings import StringValue

from cms.translation import glossary
from cms.translation.machine import GlossaryDeepLTranslator
from cms.translation.models import GlossaryTerm

FAKE_DEEPL = Path(__file__).with_name("fake_deepl.py")


@pytest.fixture
def terms(locales):
    glossary.load_demo_terms(locales["en"])
    return locales


def term_rows():
    return sorted(
        GlossaryTerm.objects.values_list("source_locale", "target_locale", "source_term", "target_term", "note")
    )


@pytest.mark.django_db
class TestAdmin:
    def test_a_term_is_added_and_listed(self, locales, client, django_user_model):
        client.force_login(django_user_model.objects.create_superuser("a", "a@example.org", "pw"))
        response = client.post(
            reverse("glossary:add"),
            {
                "source_locale": locales["en"].pk,
                "target_locale": locales["fr"].pk,
                "source_term": "dermatologist",
                "target_term": "dermatologue",
                "note": "",
            },
        )
        assert response.status_code == 302
        assert "dermatologue" in client.get(reverse("glossary:index")).content.decode()

    def test_a_term_into_its_own_language_is_refused(self, locales, client, django_user_model):
        client.force_login(django_user_model.objects.create_superuser("a", "a@example.org", "pw"))
        data = {"source_locale": locales["en"].pk, "target_locale": locales["en"].pk}
        response = client.post(reverse("glossary:add"), {**data, "source_term": "a", "target_term": "b"})
        assert "Choose a locale other than the source locale." in response.content.decode()
        assert not GlossaryTerm.objects.exists()


@pytest.mark.django_db
class TestFiles:
    def test_translate_toolkit_reads_our_tbx(self, terms, tmp_path):
        path = tmp_path / "glossary.tbx"
        call_command("translation_glossary", "--export", "tbx", "--target", "fr", "--out", str(path))
        store = tbxfile.parsestring(path.read_bytes())
        store.setsourcelanguage("en")
        store.settargetlanguage("fr")
        assert {unit.source: unit.target for unit in store.units}["dermatologist"] == "dermatologue"
        assert len(store.units) == len(glossary.DEMO_TERMS["fr"])

    @pytest.mark.parametrize("fmt", ["tbx", "csv"])
    def test_export_then_import_restores_the_glossary(self, terms, tmp_path, fmt):
        path = tmp_path / f"glossary.{fmt}"
        call_command("translation_glossary", "--export", fmt, "--target", "de", "--out", str(path))
        before = term_rows()
        GlossaryTerm.objects.all().delete()
        call_command("translation_glossary", "--import", str(path), "--target", "de")
        assert term_rows() == [row for row in before if row[1] == terms["de"].pk]

    def test_csv_names_the_pair_in_its_header(self, terms):
        lines = glossary.to_csv(terms["en"], terms["fr"]).decode().splitlines()
        assert lines[0] == "en,fr,note"
        assert "dermatologist,dermatologue," in lines

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("bad.tbx", b"<martif><text><body><termEntry>", "not well-formed XML"),
            ("bad.tbx", b"<!DOCTYPE m [<!ENTITY x 'y'>]><martif/>", "declares entities"),
            ("pair.csv", b"en,de,note\nmicroneedling,Microneedling,\n", "for en → de, not en → fr"),
            ("same.csv", b"fr,fr\na,b\n", "translates fr into itself"),
            ("unknown.csv", b"en,xx\na,b\n", "locale “xx”, which this site does not have"),
            ("short.csv", b"en,fr\ndermatologist\n", "Line 2 needs a term and its translation"),
            ("long.csv", b"en,fr\n" + b"a" * 201 + b",b\n", "Entry 2 is too long"),
            (
                "three.tbx",
                b"<martif><text><body><termEntry><langSet xml:lang='en'><tig><term>a</term></tig></langSet>"
                b"<langSet xml:lang='fr'><tig><term>b</term></tig></langSet>"
                b"<langSet xml:lang='de'><tig><term>c</term></tig></langSet></termEntry></body></text></martif>",
                "exactly two languages",
            ),
        ],
    )
    def test_bad_files_are_refused_and_change_nothing(self, terms, tmp_path, name, content, message):
        path = tmp_path / name
        path.write_bytes(content)
        before = term_rows()
        with pytest.raises(CommandError, match=message):
            call_command("translation_glossary", "--import", str(path), "--target", "fr")
        assert term_rows() == before

    def test_an_oversized_file_is_refused(self, terms, tmp_path, settings):
        settings.TRANSLATION_PACKAGE_MAX_BYTES = 50
        path = tmp_path / "big.csv"
        path.write_bytes(b"en,fr\n" + b"x,y\n" * 20)
        before = term_rows()
        with pytest.raises(CommandError, match="glossary file is 86 bytes; at most 50 bytes"):
            call_command("translation_glossary", "--import", str(path))
        assert term_rows() == before


@pytest.fixture
def fake_deepl(tmp_path):
    """The fake DeepL server in its own process; yields (API URL, a reader of the requests it got)."""
    port_file, log_file = tmp_path / "port", tmp_path / "requests.jsonl"
    log_file.touch()
    process = subprocess.Popen([sys.executable, str(FAKE_DEEPL), str(port_file), str(log_file), "test-key"])
    try:
        for _attempt in range(100):
            if port_file.exists() and port_file.read_text():
                break
            time.sleep(0.05)
        url = f"http://127.0.0.1:{port_file.read_text()}/v2"
        yield url, lambda: [json.loads(line) for line in log_file.read_text().splitlines()]
    finally:
        process.terminate()
        process.wait(timeout=5)


@pytest.mark.django_db
class TestDeepL:
    def translate(self, url, terms, text="The dermatologist checks the skin.", key="test-key"):
        translator = GlossaryDeepLTranslator({"AUTH_KEY": key, "API_URL": url})
        string = StringValue(text)
        return translator.translate(terms["en"], terms["fr"], [string])[string].data

    def test_the_glossary_goes_with_each_translation(self, terms, fake_deepl):
        url, requests_seen = fake_deepl
        assert self.translate(url, terms) == "The dermatologist checks the skin. [deepl]"
        listed, created, translated = requests_seen()
        assert (listed["method"], created["method"]) == ("GET", "POST")
        assert created["form"]["source_lang"] == "en" and created["form"]["target_lang"] == "fr"
        assert created["form"]["entries_format"] == "tsv"
        assert "dermatologist\tdermatologue" in created["form"]["entries"].splitlines()
        assert translated["path"] == "/v2/translate"
        assert translated["form"]["glossary_id"]

        # Unchanged terms: DeepL's glossary is reused.
        self.translate(url, terms)
        assert [r["method"] for r in requests_seen()[3:]] == ["GET", "POST"]
        assert requests_seen()[-1]["form"]["glossary_id"] == translated["form"]["glossary_id"]

    def test_a_changed_termbase_replaces_the_old_glossary(self, terms, fake_deepl):
        url, requests_seen = fake_deepl
        self.translate(url, terms)
        first_id = requests_seen()[-1]["form"]["glossary_id"]
        GlossaryTerm.objects.create(
            source_locale=terms["en"], target_locale=terms["fr"], source_term="needle", target_term="aiguille"
        )
        self.translate(url, terms)
        methods = [(r["method"], r["path"]) for r in requests_seen()[3:]]
        assert methods == [
            ("GET", "/v2/glossaries"),
            ("POST", "/v2/glossaries"),
            ("DELETE", f"/v2/glossaries/{first_id}"),
            ("POST", "/v2/translate"),
        ]
        assert "needle\taiguille" in requests_seen()[4]["form"]["entries"]

    def test_without_terms_no_glossary_is_made(self, locales, fake_deepl):
        url, requests_seen = fake_deepl
        self.translate(url, locales)
        assert [r["path"] for r in requests_seen()] == ["/v2/translate"]
        assert "glossary_id" not in requests_seen()[0]["form"]

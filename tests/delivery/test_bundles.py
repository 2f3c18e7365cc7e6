"""export_content: what a bundle holds, that it matches the API, and that it is never half written."""

import errno
import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import PageViewRestriction

from cms.api.representation import render_page
from cms.delivery import atomic_dir, bundles
from cms.delivery.bundles import export_bundle

from .conftest import add_page, publish, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(treatments, locales):
    """en: treatments > microneedling, a draft and a restricted page; fr translates treatments only."""
    microneedling = add_page(treatments, "Microneedling", "microneedling")
    add_page(treatments, "Draft peel", "draft-peel", live=False)
    members = add_page(treatments, "Members' prices", "members")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.PASSWORD, password="x")
    french = translate(treatments, locales["fr"])
    return {
        "home": treatments.get_parent().specific,
        "treatments": treatments,
        "microneedling": microneedling,
        "french": french,
    }


def export(out, *args):
    output = io.StringIO()
    call_command("export_content", "--out", str(out), *args, stdout=output)
    return output.getvalue()


def snapshot(folder):
    """Every file of a folder and its bytes."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_each_locale_gets_every_page_it_serves_exactly_as_the_api_renders_it(site, tmp_path):
    out = tmp_path / "bundle"
    summary = export(out)

    microneedling = site["microneedling"]
    english = (out / "en" / "pages" / f"{microneedling.translation_key}.json").read_bytes()
    german = (out / "de" / "pages" / f"{microneedling.translation_key}.json").read_bytes()
    assert english == render_page(microneedling, requested_locale="en", use_cache=False)
    assert german == render_page(microneedling, requested_locale="de", use_cache=False)
    assert json.loads(german)["fallback"] is True
    french_treatments = (out / "fr" / "pages" / f"{site['french'].translation_key}.json").read_bytes()
    assert json.loads(french_treatments)["locale"] == "fr"
    assert summary.startswith("Exported 3 pages in 4 locales (en, fr, de, es): 12 page files")


def test_every_file_is_byte_for_byte_what_the_detail_endpoint_serves(site, client, tmp_path):
    out = tmp_path / "bundle"
    export(out)

    manifest = json.loads((out / "manifest.json").read_text())
    for page in manifest["pages"]:
        for locale, served in page["locales"].items():
            response = client.get(f"/api/v1/pages/{page['key']}/", {"locale": locale})
            assert response.status_code == 200
            assert (out / served["file"]).read_bytes() == response.content, (page["key"], locale)


def test_drafts_and_restricted_pages_stay_out(site, tmp_path):
    out = tmp_path / "bundle"
    export(out)

    titles = {page["title"] for page in json.loads((out / "en" / "index.json").read_text())["pages"]}
    assert titles == {"Clinic", "Treatments", "Microneedling"}


def publishes(page):
    """How many times Wagtail logged a publish of ``page``: its ``meta.revision``."""
    from wagtail.models import PageLogEntry

    count = PageLogEntry.objects.filter(page=page, action="wagtail.publish").count()
    assert count >= 1
    return count


def test_the_manifest_names_every_page_and_hashes_every_file(site, tmp_path):
    out = tmp_path / "bundle"
    export(out)

    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["api_version"] == "v1"
    assert manifest["locales"] == ["en", "fr", "de", "es"]
    assert manifest["generated_at"].startswith("20")
    entry = next(page for page in manifest["pages"] if page["key"] == str(site["treatments"].translation_key))
    assert entry["type"] == "pages.ProcedureIndexPage"
    assert entry["locales"]["fr"]["path"] == "/fr/treatments/"
    assert entry["locales"]["fr"]["revision"] == publishes(site["french"])
    assert entry["locales"]["de"] | {"sha256": None} == {
        "path": "/en/treatments/",
        "revision": publishes(site["treatments"]),
        "locale": "en",
        "fallback": True,
        "parent": str(site["home"].translation_key),
        "file": f"de/pages/{entry['key']}.json",
        "sha256": None,
    }
    for page in manifest["pages"]:
        for served in page["locales"].values():
            assert hashlib.sha256((out / served["file"]).read_bytes()).hexdigest() == served["sha256"]


def test_the_index_lists_a_locale_s_pages_with_their_files(site, tmp_path):
    out = tmp_path / "bundle"
    export(out, "--locale", "fr")

    index = json.loads((out / "fr" / "index.json").read_text())
    # Translating "Treatments" copied the home page into French too; microneedling falls back.
    assert [(page["path"], page["locale"]) for page in index["pages"]] == [
        ("/en/treatments/microneedling/", "en"),
        ("/fr/", "fr"),
        ("/fr/treatments/", "fr"),
    ]
    assert all((out / "fr" / page["file"]).is_file() for page in index["pages"])
    assert sorted(path.name for path in out.iterdir()) == ["fr", "manifest.json"]


def test_incremental_rewrites_only_what_changed_and_ends_identical_to_a_full_export(site, tmp_path):
    out, full = tmp_path / "bundle", tmp_path / "full"
    export(out)
    microneedling = site["microneedling"]
    microneedling.title = "Microneedling (collagen induction)"
    publish(microneedling)

    summary = export(out, "--incremental")
    export(full)

    # en, fr, de and es all serve the English page, and its parent lists its title:
    # 4 + 4 files rendered; the home page in four locales is reused.
    assert "12 page files, 8 rendered, 4 unchanged" in summary
    assert snapshot(out).keys() == snapshot(full).keys()
    for name, body in snapshot(full).items():
        if name != "manifest.json":
            assert snapshot(out)[name] == body, name
    assert json.loads((out / "en" / "pages" / f"{microneedling.translation_key}.json").read_text())["title"] == (
        "Microneedling (collagen induction)"
    )


def test_incremental_without_a_previous_bundle_exports_everything(site, tmp_path):
    summary = export(tmp_path / "bundle", "--incremental")
    assert "No usable previous bundle" in summary
    assert "12 rendered, 0 unchanged" in summary


def test_a_zip_holds_the_same_files(site, tmp_path):
    out = tmp_path / "bundle"
    export(out, "--zip", str(tmp_path / "bundle.zip"))

    with zipfile.ZipFile(tmp_path / "bundle.zip") as archive:
        assert {name: archive.read(name) for name in archive.namelist()} == snapshot(out)


# --- Never half a bundle ------------------------------------------------------------------


def failing_after(calls, exception):
    real = bundles.render
    count = {"n": 0}

    def render(*args, **kwargs):
        count["n"] += 1
        if count["n"] > calls:
            raise exception
        return real(*args, **kwargs)

    return render


def test_a_full_disk_mid_export_leaves_the_previous_bundle_untouched(site, tmp_path, monkeypatch):
    out = tmp_path / "bundle"
    export(out)
    before = snapshot(out)
    publish(site["microneedling"])
    monkeypatch.setattr(bundles, "render", failing_after(3, OSError(errno.ENOSPC, "No space left on device")))

    with pytest.raises(CommandError, match="Export failed, the previous bundle at .* is unchanged: No space left"):
        export(out)

    assert snapshot(out) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bundle"], "no half-built folder is left behind"


def test_an_interrupted_export_leaves_the_previous_bundle_untouched(site, tmp_path, monkeypatch):
    out = tmp_path / "bundle"
    export(out)
    before = snapshot(out)
    monkeypatch.setattr(bundles, "render", failing_after(5, KeyboardInterrupt()))

    with pytest.raises(KeyboardInterrupt):
        export(out)

    assert snapshot(out) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bundle"]


def test_the_leftovers_of_a_killed_export_are_cleared_by_the_next(site, tmp_path):
    out = tmp_path / "bundle"
    killed = tmp_path / ".bundle.building-killed"
    (killed / "en").mkdir(parents=True)
    (killed / "en" / "half.json").write_text("{")

    export(out)

    assert not killed.exists()
    assert (out / "manifest.json").is_file()


def test_without_an_atomic_exchange_the_swap_still_never_loses_the_bundle(site, tmp_path, monkeypatch):
    out = tmp_path / "bundle"
    export(out)
    monkeypatch.setattr(atomic_dir, "exchange", lambda first, second: False)
    publish(site["microneedling"])

    export(out)

    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["pages"]) == 3
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bundle"]


# --- Bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--locale", "xx"], "Unknown locale 'xx': this site serves en, fr, de, es."),
        (["--locale", "fr", "--locale", "klingon"], "Unknown locale 'klingon'"),
        (["--zip", "/nonexistent-folder/bundle.zip"], "Cannot write --zip /nonexistent-folder/bundle.zip"),
    ],
)
def test_bad_arguments_are_refused_and_change_nothing(site, tmp_path, args, message):
    out = tmp_path / "bundle"
    export(out)
    before = snapshot(out)

    with pytest.raises(CommandError, match=message):
        export(out, *args)

    assert snapshot(out) == before


def test_an_unwritable_destination_is_refused(site, tmp_path):
    with pytest.raises(CommandError, match="its parent folder .*/missing does not exist"):
        export(tmp_path / "missing" / "bundle")
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(CommandError, match="is a file, not a folder"):
        export(tmp_path / "a-file")


def test_a_folder_without_write_permission_is_refused(site, tmp_path, monkeypatch):
    # The suite may run as root, which ignores permission bits: ask the same question
    # the command asks, answered "no".
    monkeypatch.setattr(bundles.os, "access", lambda path, mode: False)
    with pytest.raises(CommandError, match=f"no permission to write in {tmp_path}"):
        export(tmp_path / "bundle")
    assert not (tmp_path / "bundle").exists()


def test_a_failure_exits_non_zero_with_the_message(site, tmp_path, capsys):
    from django.core.management import execute_from_command_line

    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "export_content", "--out", str(tmp_path / "b"), "--locale", "xx"])

    assert exit_info.value.code == 1
    assert "Unknown locale 'xx'" in capsys.readouterr().err
    assert not (tmp_path / "b").exists()


def test_export_bundle_reports_what_it_did(site, tmp_path):
    summary = export_bundle(tmp_path / "bundle", ["de"])
    assert (summary.pages, summary.files, summary.rendered, summary.locales) == (3, 3, 3, ["de"])


def test_incremental_renders_again_the_pages_that_link_to_a_changed_page(site, tmp_path):
    out, full = tmp_path / "bundle", tmp_path / "full"
    home, microneedling = site["home"], site["microneedling"]
    home.intro = f'<p>Try <a linktype="page" id="{microneedling.pk}">microneedling</a>.</p>'
    publish(home)
    export(out)

    microneedling.slug = "collagen-induction"
    publish(microneedling)
    export(out, "--incremental")
    export(full)

    english_home = (out / "en" / "pages" / f"{home.translation_key}.json").read_text()
    assert "/en/treatments/collagen-induction/" in english_home
    assert {name: body for name, body in snapshot(out).items() if name != "manifest.json"} == {
        name: body for name, body in snapshot(full).items() if name != "manifest.json"
    }

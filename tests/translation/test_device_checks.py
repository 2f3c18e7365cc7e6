"""Devices (translated snippets without drafts) go live as they are saved, so a translation
that failed a check is held off them: a package that changes a number is refused with
nothing changed, and a flagged translation (typed in the editor, made by a machine) stays
off the live device, whatever saves it, until fixed or accepted by a reviewer."""

from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.urls import reverse
from translate.storage import po as ttk_po
from wagtail.models import ModelLogEntry
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from cms.translation import qa
from cms.translation.models import QAFlag
from cms.translation.packages.export import export_locale
from cms.translation.packages.importer import PackageRejected, apply_import, plan_import
from cms.translation.roles import ensure_translator_groups
from pages.demo.accounts import ensure_groups
from pages.snippets import Device
from tests.translation.conftest import translate

SUMMARY = "Needles 0.5 to 2.5 mm long."
GOOD_SUMMARY = "Aiguilles de 0,5 à 2,5 mm."
WRONG_SUMMARY = "Aiguilles de 0,5 à 3,5 mm."
NUMBERS_PROBLEM = "The numbers differ from the source: the source has 0.5, 2.5, the translation has 0.5, 3.5."


@pytest.fixture
def pen(clinic):
    """A clinic pen in English, translated into French through wagtail-localize; returns the French device."""
    device = Device.objects.create(
        name="Pen",
        summary=SUMMARY,
        kind="pen",
        setting="clinic",
        depth="deep_dermis",
        visible_results="marked",
        sterilisation="single_use",
        operated_by=["dermatologist"],
        needle_length_min=Decimal("0.5"),
        needle_length_max=Decimal("2.5"),
        locale=clinic["en"],
    )
    translate(device, clinic["fr"], translate_text=lambda text: GOOD_SUMMARY if text == SUMMARY else f"{text} [fr]")
    return live_pen(clinic, device)


def live_pen(clinic, device):
    return Device.objects.get(translation_key=device.translation_key, locale=clinic["fr"])


def pen_translation(pen):
    return Translation.objects.get(source__object_id=pen.translation_key, target_locale=pen.locale)


def summary_row(pen):
    return StringTranslation.objects.get(
        translation_of__data=SUMMARY, locale=pen.locale, context__object_id=pen.translation_key
    )


def package(clinic, **targets):
    """The French PO package with new targets by source text, written by translate-toolkit."""
    store = ttk_po.pofile.parsestring(export_locale(clinic["fr"], "po").data)
    for unit in store.units:
        if unit.source in targets:
            unit.target = targets[unit.source]
    return bytes(store)


def type_in_editor(client, pen, text):
    """What wagtail-localize's editor sends when a translator saves the summary segment."""
    segment = StringSegment.objects.get(source=pen_translation(pen).source, string__data=SUMMARY)
    url = reverse("wagtail_localize:edit_string_translation", args=[pen_translation(pen).pk, segment.pk])
    return client.put(url, urlencode({"value": text}), content_type="application/x-www-form-urlencoded")


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example.org", "pw")


@pytest.mark.django_db
def test_a_package_that_changes_a_number_in_a_device_is_refused_and_the_live_device_stays(
    clinic, pen, snapshot, tmp_path, capsys
):
    data = package(clinic, **{SUMMARY: WRONG_SUMMARY, "Pen": "Stylo"})
    before = snapshot()

    plan = plan_import(data)
    (rejection,) = plan.rejections
    assert (rejection.page_title, rejection.field_path, rejection.reason) == ("Pen", "summary", NUMBERS_PROBLEM)
    with pytest.raises(PackageRejected, match="nothing was imported"):
        apply_import(plan, publish=True)
    path = tmp_path / "fr.po"
    path.write_bytes(data)
    with pytest.raises(Exception, match="nothing was imported"):
        call_command("translation_import", str(path))
    assert f"REJECTED Pen / summary ({rejection.unit_id}): {NUMBERS_PROBLEM}" in capsys.readouterr().err

    assert snapshot() == before
    assert (live_pen(clinic, pen).name, live_pen(clinic, pen).summary) == ("Pen [fr]", GOOD_SUMMARY)
    assert not QAFlag.objects.exists()


@pytest.mark.django_db
def test_a_flagged_device_translation_is_held_off_the_live_device_on_import(clinic, pen, client, admin, tmp_path):
    client.force_login(admin)
    response = type_in_editor(client, pen, WRONG_SUMMARY)
    assert "The numbers differ from the source" in response.json()["comment"]  # the editor shows it
    flag = summary_row(pen).qa_flag
    assert flag.is_open and flag.messages() == [NUMBERS_PROBLEM]

    # A package that fixes another field: the device is saved, its flagged summary is not.
    path = tmp_path / "fr.po"
    path.write_bytes(package(clinic, Pen="Stylo"))
    plan = plan_import(path.read_bytes())
    assert plan.ok and [(held.page_title, held.field_path) for held in plan.held] == [("Pen", "summary")]
    call_command("translation_import", str(path))
    device = live_pen(clinic, pen)
    assert (device.name, device.summary) == ("Stylo", GOOD_SUMMARY)
    assert summary_row(pen).data == WRONG_SUMMARY  # the translator's work is kept, flagged
    assert QAFlag.objects.get(pk=flag.pk).is_open

    # The flag shows on the device's translation checks screen, with what it holds back.
    checks = reverse("cms_translation_checks", args=[pen_translation(pen).pk])
    html = client.get(checks).content.decode()
    assert f'data-flag="{flag.pk}"' in html and "3,5" in html and "Accept as it is" in html


@pytest.mark.django_db
def test_the_dry_run_names_the_held_field(clinic, pen, tmp_path, capsys):
    row = summary_row(pen)
    row.data = WRONG_SUMMARY
    row.save()  # e.g. typed in the editor
    path = tmp_path / "fr.po"
    path.write_bytes(package(clinic, Pen="Stylo"))

    call_command("translation_import", str(path), "--dry-run")

    out = capsys.readouterr().out
    assert f"HELD Pen / summary: {NUMBERS_PROBLEM}" in out
    assert live_pen(clinic, pen).name == "Pen [fr]"  # a dry run changes nothing


@pytest.mark.django_db
def test_publishing_in_the_translation_editor_holds_it_too(clinic, pen, client, admin):
    client.force_login(admin)
    type_in_editor(client, pen, WRONG_SUMMARY)
    edit = reverse("wagtailsnippets_pages_device:edit", args=[pen.pk])
    response = client.post(edit, {"action": "publish"})
    assert response.status_code in (200, 302)
    assert live_pen(clinic, pen).summary == GOOD_SUMMARY

    # Fixed: the next save takes it live.
    type_in_editor(client, pen, "Aiguilles longues de 0,5 à 2,5 mm.")
    assert not QAFlag.objects.exists()
    client.post(edit, {"action": "publish"})
    assert live_pen(clinic, pen).summary == "Aiguilles longues de 0,5 à 2,5 mm."


@pytest.mark.django_db
def test_only_a_reviewer_accepts_it_and_then_it_goes_live(clinic, pen, client, django_user_model):
    row = summary_row(pen)
    row.data = WRONG_SUMMARY
    row.save()
    flag = row.qa_flag
    checks = reverse("cms_translation_checks", args=[pen_translation(pen).pk])

    translator = django_user_model.objects.create_user("théo", password="pw")
    translator.groups.add(ensure_translator_groups()["fr"])
    client.force_login(translator)
    assert "Held back: the live copy keeps its previous text" in client.get(checks).content.decode()
    refused = client.post(checks, {"flag": flag.pk, "reason": "I like it"})
    assert (refused.status_code, refused.url) == (302, "/admin/")
    assert QAFlag.objects.get(pk=flag.pk).is_open and live_pen(clinic, pen).summary == GOOD_SUMMARY

    # A medical reviewer may publish French pages, though not edit devices: they accept it.
    reviewer = django_user_model.objects.create_user("camille", password="pw")
    reviewer.groups.add(ensure_groups()["Medical reviewers"])
    client.force_login(reviewer)
    assert "Accept as it is" in client.get(checks).content.decode()
    assert client.post(checks, {"flag": flag.pk, "reason": " "}).status_code == 400
    assert live_pen(clinic, pen).summary == GOOD_SUMMARY
    client.post(checks, {"flag": flag.pk, "reason": "The new cartridge reaches 3.5 mm; the source follows."})

    assert not QAFlag.objects.get(pk=flag.pk).is_open
    assert live_pen(clinic, pen).summary == WRONG_SUMMARY
    entry = ModelLogEntry.objects.get(action=qa.OVERRIDE_ACTION, object_id=str(pen.pk))
    assert (entry.user, entry.data["field"]) == (reviewer, "summary")


@pytest.mark.django_db
def test_a_new_french_copy_starts_from_the_source_text_for_a_flagged_field(clinic):
    device = Device.objects.create(
        name="Roller",
        summary=SUMMARY,
        kind="roller",
        setting="clinic",
        depth="deep_dermis",
        visible_results="marked",
        sterilisation="single_use",
        operated_by=["dermatologist"],
        locale=clinic["en"],
    )
    source, _created = TranslationSource.get_or_create_from_instance(device)
    for segment in StringSegment.objects.filter(source=source).select_related("string", "context"):
        text = WRONG_SUMMARY if segment.string.data == SUMMARY else f"{segment.string.data} [fr]"
        StringTranslation.objects.create(
            translation_of=segment.string, locale=clinic["fr"], context=segment.context, data=text
        )
    translation = Translation.objects.create(source=source, target_locale=clinic["fr"])

    translation.save_target(publish=True)

    french = Device.objects.get(translation_key=device.translation_key, locale=clinic["fr"])
    assert (french.name, french.summary) == ("Roller [fr]", SUMMARY)
    assert QAFlag.objects.get().is_open


@pytest.mark.django_db
def test_the_packages_screen_names_the_held_field_in_the_dry_run(clinic, pen, translator, client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.STORAGES = {
        **settings.STORAGES,
        "translation_packages": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "uploads"},
        },
    }
    row = summary_row(pen)
    row.data = WRONG_SUMMARY
    row.save()
    client.force_login(translator)

    upload = SimpleUploadedFile("fr.po", package(clinic, Pen="Stylo"), content_type="text/x-gettext-translation")
    response = client.post("/admin/translation-packages/import/", {"file": upload, "locale": "fr"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "data-held" in html and "Pen / <code>summary</code>" in html and "3.5" in html
    assert live_pen(clinic, pen).name == "Pen [fr]"

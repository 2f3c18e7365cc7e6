"""The demo site's real translations go out to third-party tools and come back cleanly."""

import os
import subprocess

import pytest
from django.contrib.auth import get_user_model
from translate.storage import xliff2 as ttk_xliff2
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation

from cms.review.approvals import approve
from cms.translation.packages.collect import collect_units
from cms.translation.packages.export import export_locale
from cms.translation.packages.importer import PackageRejected, apply_import, plan_import
from tests.translation.cat_tools import append_to_targets, pocount
from tests.translation.xliff_schemas import assert_valid
from tests.utils import demo_page


@pytest.mark.django_db
def test_every_demo_locale_exports_po_that_msgfmt_accepts(demo, tmp_path):
    for code in ("fr", "de", "es"):
        path = tmp_path / f"{code}.po"
        path.write_bytes(export_locale(Locale.objects.get(language_code=code), "po").data)
        result = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_the_demo_round_trips_through_translate_toolkit(demo, django_capture_on_commit_callbacks):
    fr = Locale.objects.get(language_code="fr")
    # A reviser's pass over every real translation: numbers and inline codes stay as they are.
    store = ttk_xliff2.Xliff2File.parsestring(append_to_targets(export_locale(fr, "xliff2").data, "xliff2", " (rév.)"))
    plan = plan_import(bytes(store))

    assert plan.rejections == []
    assert len(plan.changes) == len(store.units)
    # Publishing French medical pages needs the French reviewer: the import refuses, all of it.
    with pytest.raises(PackageRejected, match="import without publishing"):
        apply_import(plan, publish=True)
    assert not StringTranslation.objects.filter(locale=fr, data__endswith=" (rév.)").exists()
    with django_capture_on_commit_callbacks(execute=True):
        apply_import(plan_import(bytes(store)), publish=False)

    procedure = demo_page("microneedling", "fr")
    assert not procedure.title.endswith(" (rév.)")  # the approved translation stays live
    _approval, revision = approve(procedure, get_user_model().objects.get(username="reviewer-fr"))
    revision.publish()
    procedure = demo_page("microneedling", "fr")
    assert procedure.title.endswith(" (rév.)")
    assert not procedure.has_unpublished_changes
    assert StringTranslation.objects.filter(locale=fr, data__endswith=" (rév.)").count() == len(store.units)


@pytest.mark.django_db
def test_demo_exports_validate_and_pocount_reads_finished_units_as_translated(demo, tmp_path):
    for code in ("fr", "de", "es"):
        locale = Locale.objects.get(language_code=code)
        for fmt in ("xliff2", "xliff12"):
            assert_valid(fmt, export_locale(locale, fmt).data)

    fr = Locale.objects.get(language_code="fr")
    units = collect_units(fr).units
    path = tmp_path / "fr.xlf"
    path.write_bytes(export_locale(fr, "xliff12").data)
    counts = pocount(path)
    assert (counts["Translated Messages"], counts["Fuzzy Messages"]) == (
        sum(unit.review_reason is None and bool(unit.target) for unit in units),
        sum(unit.review_reason is not None for unit in units),
    )
    assert counts["Translated Messages"] > 0

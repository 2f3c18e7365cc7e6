"""Benchmark: export time per page as the site grows (N, then 2N pages per locale).

    .venv/bin/python bench/export_content.py [--copies 50] [--runs 3]

Builds a throwaway SQLite database in bench/results/ (or uses DATABASE_URL if set to
a database you can spare), loads the microneedling demo, copies the procedure subtree
(procedure, benefits, devices, safety) ``--copies`` times in every locale with the
translation keys kept aligned, exports, doubles the content, exports again. Prints the
time per page file for both sizes, their ratio (the budget: 2x pages <= 2.2x time),
and the API's own cost of rendering one page (``render_page``, cold, which the detail
endpoint serves) and, where the route exists, of a cold GET of the detail endpoint.
Not part of the test suite.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def setup_django():
    sys.path.insert(0, str(ROOT))
    RESULTS.mkdir(parents=True, exist_ok=True)
    database = RESULTS / "export_bench.sqlite3"
    if "DATABASE_URL" not in os.environ:
        database.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    import django

    django.setup()
    from django.conf import settings

    # Measure the export, not a debug toolbar's SQL log.
    settings.DEBUG = False


def load_demo():
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo_content", "--no-accounts", verbosity=0)
    from wagtail.models import Page

    # The demo's translated pages can carry a stale numchild (0 with children), which
    # makes Wagtail's copy skip their children; recount before copying subtrees.
    Page.fix_tree(fix_paths=False)


def copy_procedures(copies, start):
    """Copy each locale's microneedling subtree ``copies`` times, keys aligned with English."""
    from wagtail.models import Page

    from pages.models import ProcedurePage

    originals = {page.locale.language_code: page for page in ProcedurePage.objects.filter(slug="microneedling")}
    english = originals.pop("en")
    for number in range(start, start + copies):
        english_copy = english.copy(
            recursive=True,
            update_attrs={"slug": f"microneedling-{number}", "title": f"Microneedling {number}"},
            keep_live=True,
            log_action=None,
        )
        english_tree = list(Page.objects.descendant_of(english_copy, inclusive=True).order_by("path"))
        for original in originals.values():
            translated_copy = original.copy(
                recursive=True,
                update_attrs={"slug": f"microneedling-{number}", "title": f"{original.title} {number}"},
                keep_live=True,
                log_action=None,
            )
            translated_tree = list(Page.objects.descendant_of(translated_copy, inclusive=True).order_by("path"))
            for source, translation in zip(english_tree, translated_tree, strict=True):
                Page.objects.filter(pk=translation.pk).update(translation_key=source.translation_key)


def time_export(runs):
    from cms.delivery.bundles import export_bundle

    workspace = Path(tempfile.mkdtemp(prefix="export-bench-"))
    try:
        timings, summary = [], None
        for _run in range(runs):
            started = time.perf_counter()
            summary = export_bundle(workspace / "bundle")
            timings.append(time.perf_counter() - started)
        return min(timings), statistics.median(timings), summary
    finally:
        shutil.rmtree(workspace, ignore_errors=True)


def time_detail(sample=60):
    """The API's cost of one page: render_page cold, and a cold GET of the detail endpoint."""
    from django.core.cache import cache
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from cms.api.representation import render_page
    from cms.delivery.serving import served_in

    pages = list(served_in("fr").values())[:sample]
    started = time.perf_counter()
    for page in pages:
        render_page(page, requested_locale="fr", use_cache=False)
    render_ms = (time.perf_counter() - started) * 1000 / len(pages)
    try:
        reverse("api:page-detail", args=[str(pages[0].translation_key)])
    except NoReverseMatch:
        return render_ms, None
    client = Client()
    started = time.perf_counter()
    for page in pages:
        cache.clear()  # every read cold, as the first read after a publish
        response = client.get(f"/api/v1/pages/{page.translation_key}/?locale=fr")
        assert response.status_code == 200, response.status_code
    return render_ms, (time.perf_counter() - started) * 1000 / len(pages)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=50, help="Procedure subtrees copied for size N (default 50).")
    parser.add_argument("--runs", type=int, default=3, help="Exports per size; the best is reported (default 3).")
    args = parser.parse_args()

    setup_django()
    load_demo()
    copy_procedures(args.copies, start=1)
    small = time_export(args.runs)
    render_ms, detail_ms = time_detail()
    copy_procedures(args.copies + 1, start=args.copies + 1)
    large = time_export(args.runs)

    rows = []
    for label, (best, median, summary) in (("N", small), ("2N", large)):
        per_page = best * 1000 / summary.files
        rows.append((label, summary.pages, summary.files, best, median, per_page))
        print(
            f"{label:>2}: {summary.pages} pages x {len(summary.locales)} locales = {summary.files} files, "
            f"best {best:.2f} s (median {median:.2f} s), {per_page:.2f} ms per page file"
        )
    page_ratio = rows[1][2] / rows[0][2]
    time_ratio = rows[1][3] / rows[0][3]
    print(f"pages x{page_ratio:.2f} -> time x{time_ratio:.2f} (budget: x{page_ratio * 1.1:.2f})")
    print(f"API render_page, cold: {render_ms:.2f} ms per page")
    if detail_ms is not None:
        print(f"API detail GET, cold cache, in-process client: {detail_ms:.2f} ms per page")
    else:
        print("API detail route not present in this checkout: GET not measured")
    return 0 if time_ratio <= page_ratio * 1.1 else 1


if __name__ == "__main__":
    sys.exit(main())

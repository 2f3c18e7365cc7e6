"""Benchmark: export time per page as the site grows (N, then 2N pages per locale).

    .venv/bin/python bench/export_content.py [--copies 50] [--runs 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cms_export_bench .venv/bin/python bench/export_content.py

Builds two SQLite databases in bench/results/ (kept, and reused by later runs with the
same ``--copies``; delete them to rebuild): the microneedling demo with its procedure
subtree (procedure, benefits, devices, safety) copied ``--copies`` times in every
locale, translation keys kept aligned (size N), and the same with twice the copies
(size 2N). Exports each ``--runs`` times and prints the time per page file for both
sizes (best of the runs, sizes alternating), their ratio (the budget: 2x pages <= 2.2x
time), and the API's own cost of
rendering one page (``render_page`` without its cache, which the detail endpoint
serves) and, where the route exists, of a cold GET of the detail endpoint.

With a PostgreSQL ``DATABASE_URL``, the databases are ``<name>_<copies>_n`` and
``<name>_<copies>_2n`` on that server instead (created from a template; kept too).

Times are CPU seconds of this process (``time.process_time``), with wall-clock seconds
beside them: on a shared machine other work inflates wall-clock time at random, while
the export is single-threaded and does its SQLite I/O in-process.
Not part of the test suite.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


def setup_django():
    sys.path.insert(0, str(ROOT))
    RESULTS.mkdir(parents=True, exist_ok=True)
    if not POSTGRES:
        os.environ["DATABASE_URL"] = f"sqlite:///{RESULTS / 'export_bench_work.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.dev"
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # measure the export, not a debug log of every SQL query
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the in-process client's host


def use_database(path):
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = str(path)


def postgres_admin(statement):
    """Run CREATE/DROP DATABASE from the server's maintenance database."""
    import psycopg
    from django.db import connection

    connection.close()
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(statement)


def build_postgres_databases(copies):
    from django.core.management import call_command
    from django.db import connection
    from wagtail.models import Page

    base = connection.settings_dict["NAME"]
    work, small, large = f"{base}_work", f"{base}_{copies}_n", f"{base}_{copies}_2n"
    import psycopg

    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"], dbname="postgres"
    ) as probe:
        existing = {row[0] for row in probe.execute("SELECT datname FROM pg_database")}
    if small in existing and large in existing:
        return small, large
    for name in (work, small, large):
        postgres_admin(f'DROP DATABASE IF EXISTS "{name}"')
    postgres_admin(f'CREATE DATABASE "{work}"')
    use_database(work)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo_content", "--no-accounts", verbosity=0)
    Page.fix_tree(fix_paths=False)
    copy_procedures(copies, start=1)
    postgres_admin(f'CREATE DATABASE "{small}" TEMPLATE "{work}"')
    use_database(work)
    copy_procedures(copies + 1, start=copies + 1)
    postgres_admin(f'CREATE DATABASE "{large}" TEMPLATE "{work}"')
    postgres_admin(f'DROP DATABASE "{work}"')
    return small, large


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


def build_databases(copies):
    """The N and 2N databases for ``copies``, built once and kept."""
    from django.core.management import call_command
    from wagtail.models import Page

    small, large = RESULTS / f"export_bench_{copies}_N.sqlite3", RESULTS / f"export_bench_{copies}_2N.sqlite3"
    if small.exists() and large.exists():
        return small, large
    work = RESULTS / "export_bench_work.sqlite3"
    work.unlink(missing_ok=True)
    use_database(work)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo_content", "--no-accounts", verbosity=0)
    # The demo's translated pages can carry a stale numchild (0 with children), which
    # makes Wagtail's copy skip their children; recount before copying subtrees.
    Page.fix_tree(fix_paths=False)
    copy_procedures(copies, start=1)
    use_database(work)
    shutil.copyfile(work, small)
    copy_procedures(copies + 1, start=copies + 1)
    use_database(work)
    shutil.copyfile(work, large)
    work.unlink()
    return small, large


def time_export(database):
    """(CPU seconds, wall seconds, summary) of one full export of ``database``."""
    from cms.delivery.bundles import export_bundle

    use_database(database)
    workspace = Path(tempfile.mkdtemp(prefix="export-bench-"))
    try:
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        summary = export_bundle(workspace / "bundle")
        return time.process_time() - started_cpu, time.perf_counter() - started_wall, summary
    finally:
        shutil.rmtree(workspace, ignore_errors=True)


def best_of(measurements):
    return min(m[0] for m in measurements), min(m[1] for m in measurements), measurements[-1][2]


def time_detail(sample=60):
    """CPU ms per page of the API: render_page without cache, and a cold detail GET."""
    from django.core.cache import cache
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from cms.api.representation import render_page
    from cms.delivery.serving import served_in

    pages = list(served_in("fr").values())[:sample]
    for page in pages[:5]:
        render_page(page, requested_locale="fr", use_cache=False)  # warm imports and caches
    started = time.process_time()
    for page in pages:
        render_page(page, requested_locale="fr", use_cache=False)
    render_ms = (time.process_time() - started) * 1000 / len(pages)
    try:
        reverse("api:page-detail", args=[str(pages[0].translation_key)])
    except NoReverseMatch:
        return render_ms, None
    client = Client()
    client.get(f"/api/v1/pages/{pages[0].translation_key}/?locale=fr")
    started = time.process_time()
    for page in pages:
        cache.clear()  # every read uncached, as the first read after a publish
        response = client.get(f"/api/v1/pages/{page.translation_key}/?locale=fr")
        assert response.status_code == 200, response.status_code
    return render_ms, (time.process_time() - started) * 1000 / len(pages)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=50, help="Procedure subtrees copied for size N (default 50).")
    parser.add_argument("--runs", type=int, default=3, help="Exports per size; the best is reported (default 3).")
    args = parser.parse_args()

    setup_django()
    small_db, large_db = (build_postgres_databases if POSTGRES else build_databases)(args.copies)
    # Sizes alternate, so that a busy spell on a shared machine hits both alike.
    small_runs, large_runs = [], []
    for _run in range(args.runs):
        small_runs.append(time_export(small_db))
        large_runs.append(time_export(large_db))
    small, large = best_of(small_runs), best_of(large_runs)
    use_database(small_db)
    render_ms, detail_ms = time_detail()

    rows = []
    for label, (cpu, wall, summary) in (("N", small), ("2N", large)):
        per_page = cpu * 1000 / summary.files
        rows.append((summary.files, cpu))
        print(
            f"{label:>2}: {summary.pages} pages x {len(summary.locales)} locales = {summary.files} files, "
            f"{cpu:.2f} s CPU ({wall:.2f} s wall), {per_page:.2f} ms CPU per page file"
        )
    page_ratio = rows[1][0] / rows[0][0]
    time_ratio = rows[1][1] / rows[0][1]
    print(f"pages x{page_ratio:.2f} -> CPU time x{time_ratio:.2f} (budget: x{page_ratio * 1.1:.2f})")
    print(f"API render_page without cache (size N): {render_ms:.2f} ms CPU per page")
    if detail_ms is not None:
        print(f"API detail GET after a publish (uncached), in-process client (size N): {detail_ms:.2f} ms CPU per page")
    else:
        print("API detail route not in this checkout: its GET was not measured")
    return 0 if time_ratio <= page_ratio * 1.1 else 1


if __name__ == "__main__":
    sys.exit(main())

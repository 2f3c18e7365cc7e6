"""Time translator package export and import on the demo content scaled up.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cms_tpkg .venv/bin/python bench/translation_packages.py

Works in a throwaway database (Django's test database, e.g. test_cms_tpkg, dropped at
the end). Loads the demo, copies the microneedling subtree (procedure, benefits,
device comparison, safety checklist) under "Treatments" until the site has N English
pages, and translates every copy into French, German and Spanish through
wagtail-localize, as the demo does. For each size (default 100, then 200) it times:

- export of the French package in XLIFF 2.0, XLIFF 1.2 and PO (best of 5);
- export of every locale as one zip (best of 5);
- the dry run of importing the French XLIFF 2.0 package with every target revised;
- the import itself, publishing every French page.

The export budget: twice the pages costs at most 2.2 times the time.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402
from translate.storage import xliff2 as ttk_xliff2  # noqa: E402
from wagtail.models import Locale, Page  # noqa: E402
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource  # noqa: E402

from cms.translation.packages.export import export_locale, export_packages  # noqa: E402
from cms.translation.packages.importer import apply_import, plan_import  # noqa: E402
from pages.demo.loader import demo_key  # noqa: E402

TARGET_CODES = ("fr", "de", "es")


def english_pages(en):
    return Page.objects.filter(locale=en, depth__gt=1).count()


def translate_copy(page, locales):
    """Translate a copied page the way the demo does: reuse the demo's translation of each string."""
    source, _created = TranslationSource.get_or_create_from_instance(page)
    segments = list(StringSegment.objects.filter(source=source).select_related("string"))
    for locale in locales:
        known = dict(
            StringTranslation.objects.filter(
                locale=locale, translation_of_id__in=[s.string_id for s in segments]
            ).values_list("translation_of_id", "data")
        )
        StringTranslation.objects.bulk_create(
            [
                StringTranslation(
                    translation_of_id=segment.string_id,
                    locale=locale,
                    context_id=segment.context_id,
                    data=known.get(segment.string_id, segment.string.data),
                    translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
                )
                for segment in segments
            ],
            ignore_conflicts=True,
        )
        translation, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
        translation.save_target(publish=True)


def scale_to(pages, en, locales):
    """Copy the microneedling subtree until the site has ``pages`` English pages (or slightly more)."""
    procedure = Page.objects.get(translation_key=demo_key("microneedling"), locale=en)
    number = Page.objects.filter(locale=en, slug__startswith="microneedling-copy-").count()
    while english_pages(en) < pages:
        number += 1
        # A fresh parent each time: treebeard places the new child from the parent's child count.
        copy = procedure.copy(
            recursive=True,
            to=procedure.get_parent(),
            update_attrs={"slug": f"microneedling-copy-{number}"},
            log_action=None,
        )
        for page in [copy, *copy.get_descendants()]:
            translate_copy(page.specific, locales)


def best_of(runs, action):
    """(best wall-clock seconds, best CPU seconds of this process, last result).

    CPU time is less disturbed by other work on a busy machine; the database server's
    own time is only in the wall-clock figure.
    """
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), result


def revised_french_package(fr):
    store = ttk_xliff2.Xliff2File.parsestring(export_locale(fr, "xliff2").data)
    for unit in store.units:
        # Append to the target's text, inline codes untouched, and confirm the segment as a reviser does.
        target = unit.getlanguageNode(lang=None, index=1)
        if len(target):
            target[-1].tail = (target[-1].tail or "") + " (rév.)"
        else:
            target.text = (target.text or "") + " (rév.)"
        unit.markfuzzy(False)
    return bytes(store)


def measure(pages, en, fr):
    row = {
        "pages": english_pages(en),
        "units_fr": StringSegment.objects.filter(
            source__in=Translation.objects.filter(target_locale=fr).values("source")
        ).count(),
    }
    for fmt in ("xliff2", "xliff12", "po"):
        row[f"export_fr_{fmt}"], row[f"export_fr_{fmt}_cpu"], export = best_of(
            3, lambda fmt=fmt: export_locale(fr, fmt)
        )
        row[f"bytes_fr_{fmt}"] = len(export.data)
    row["export_all_zip"], row["export_all_zip_cpu"], _zip = best_of(
        3, lambda: export_packages(list(TARGET_CODES), "xliff2")
    )
    data = revised_french_package(fr)
    row["dry_run_fr"], row["dry_run_fr_cpu"], plan = best_of(5, lambda: plan_import(data))
    assert plan.ok and plan.changes, plan.rejections[:3]
    wall, cpu = time.perf_counter(), time.process_time()
    apply_import(plan, publish=True)
    row["import_publish_fr"] = time.perf_counter() - wall
    row["import_publish_fr_cpu"] = time.process_time() - cpu
    row["changed_fr"] = len(plan.changes)
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, nargs="+", default=[100, 200], help="English page counts to time.")
    args = parser.parse_args()

    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        call_command("load_demo_content", "--no-accounts", verbosity=0)
        # The demo loader publishes translations on commit from stale page instances, which
        # leaves translated pages with numchild 0; repair the tree before adding pages to it.
        Page.fix_tree()
        en = Locale.objects.get(language_code="en")
        locales = [Locale.objects.get(language_code=code) for code in TARGET_CODES]
        rows = []
        for pages in sorted(args.pages):
            started = time.perf_counter()
            scale_to(pages, en, locales)
            print(f"Scaled to {english_pages(en)} English pages in {time.perf_counter() - started:.0f} s", flush=True)
            if connection.vendor == "postgresql":
                # Fresh planner statistics, as autovacuum would give a real site after bulk loading.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            rows.append(measure(pages, en, locales[0]))
        print()
        print("Seconds (best of 5; import once), bytes and unit counts:")
        keys = [key for key in rows[0] if key not in ("pages",)]
        print(f"{'':24}" + "".join(f"{row['pages']:>12}" for row in rows))
        for key in keys:
            cells = "".join(f"{row[key]:>12.3f}" if isinstance(row[key], float) else f"{row[key]:>12}" for row in rows)
            print(f"{key:24}{cells}")
        if len(rows) >= 2:
            first, last = rows[0], rows[-1]
            for suffix, kind in (("", "wall-clock"), ("_cpu", "CPU")):
                ratio = statistics.mean(
                    last[f"export_fr_{fmt}{suffix}"] / first[f"export_fr_{fmt}{suffix}"]
                    for fmt in ("xliff2", "xliff12", "po")
                )
                print(f"Export {kind} time ratio, {last['pages']} vs {first['pages']} pages: {ratio:.2f}x")
    finally:
        teardown_databases(databases, verbosity=0)


if __name__ == "__main__":
    main()

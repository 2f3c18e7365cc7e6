"""Benchmark: what translation status costs as a site grows.

Builds N procedure pages (each with 9 text segments) translated into every other
locale, then measures the API's bulk ``status_summaries`` for a 20-page listing (query
count and time) and the full page x locale matrix (``status_rows``, as the command, the
report and the status endpoint use it), at N and 2N pages.

    DJANGO_SETTINGS_MODULE=cms.settings.test .venv/bin/python benchmarks/translation_status.py [N]

Runs in a throwaway test database (SQLite in memory, or test_<name> of DATABASE_URL).
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def build(count, start, home, targets):
    from tests.translation.builders_status import procedure_page, translate_into, translate_segments

    for index in range(start, start + count):
        page = procedure_page(home, title=f"Procedure {index}", slug=f"procedure-{index}")
        source = translate_into(page, *targets)
        for locale in targets:
            translate_segments(source, locale, only=index % 10, prefix=f"{locale.language_code} ")


def measure(label, function, repeat=20):
    timings = []
    for _ in range(repeat):
        connection.queries_log.clear()  # a full log would hide the count
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = function()
            timings.append(time.perf_counter() - started)
    best = min(timings)
    median = sorted(timings)[len(timings) // 2]
    print(f"  {label}: {len(queries)} queries, best of {repeat}: {best * 1000:.1f} ms, median {median * 1000:.1f} ms")
    return best, result


def main(count):
    from wagtail.models import Locale, Page

    from cms.translation.status import status_rows, status_summaries
    from tests.translation.builders_status import english_home, translate_into

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        home = english_home()
        targets = list(Locale.objects.exclude(pk=Locale.get_default().pk))
        translate_into(home, *targets)
        results = {}
        built = 0
        for size in (count, 2 * count):
            build(size - built, built, home, targets)
            built = size
            french = Locale.objects.get(language_code="fr")
            listing = list(Page.objects.filter(locale=french, depth=3).order_by("path")[:20].specific())
            print(f"{size} pages x {len(targets)} locales:")
            measure("status_summaries, 20-page listing", lambda listing=listing: status_summaries(listing))
            best, rows = measure("status_rows, whole matrix", status_rows)
            results[size] = best
            print(f"  rows: {len(rows)}; per row: {best / len(rows) * 1e6:.0f} µs")
        print(f"matrix time ratio {2 * count}/{count} pages: {results[2 * count] / results[count]:.2f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)

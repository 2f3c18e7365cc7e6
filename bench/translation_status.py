"""Benchmark: what translation status costs as a site grows.

Builds 2N procedure pages (each with 9 text segments) translated into every other
locale, then measures, calls interleaved so that a busy machine slows each alike: the
API's bulk ``status_summaries`` for 20 and 100 served pages (query count and time), and
the page x locale matrix (``status_rows``, as the command, the report and the status
endpoint use it) over N and over 2N pages.

    .venv/bin/python bench/translation_status.py [N]

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


def measure(functions, repeat=20):
    """Best and median time and the query count of each function, calls interleaved so
    that a busy machine slows every one alike."""
    timings = {label: [] for label in functions}
    queries = {}
    for _ in range(repeat):
        for label, function in functions.items():
            connection.queries_log.clear()  # a full log would hide the count
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                function()
                timings[label].append(time.perf_counter() - started)
            queries[label] = len(captured)
    for label, values in timings.items():
        values.sort()
        best, median = values[0] * 1000, values[len(values) // 2] * 1000
        print(f"  {label}: {queries[label]} queries, best {best:.1f} ms, median {median:.1f} ms")
    return {label: values[0] for label, values in timings.items()}


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
        build(2 * count, 0, home, targets)
        english = list(Page.objects.filter(locale=Locale.get_default(), depth__gt=1).order_by("path"))
        small, large = english[: count + 1], english
        french = Locale.objects.get(language_code="fr")
        served = list(Page.objects.filter(locale=french, depth=3).order_by("path").specific())
        print(f"{count} and {2 * count} procedure pages (9 text segments each) x {len(targets)} target locales")
        best = measure(
            {
                "status_summaries, 20 pages": lambda: status_summaries(served[:20]),
                "status_summaries, 100 pages": lambda: status_summaries(served[:100]),
                f"status_rows, {len(small)} pages x {len(targets)} locales": lambda: status_rows(pages=small),
                f"status_rows, {len(large)} pages x {len(targets)} locales": lambda: status_rows(pages=large),
            }
        )
        times = list(best.values())
        print(f"matrix time ratio {2 * count}/{count} pages: {times[3] / times[2]:.2f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)

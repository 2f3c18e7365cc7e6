"""Benchmark: how far translation memory carries a new page.

Loads the microneedling demo (English, translated into French, German and Spanish by
people, so the memory holds their translations), then writes a second procedure,
"Dermaplaning", that keeps a third of microneedling's text segments as they are (its
title and slug are its own) and rewrites the others. For each locale it starts the translation, fills it from
100% memory matches (``cms.translation.memory.pretranslate``) and prints how far
translated it starts, and how many segments have at least a fuzzy match.

    .venv/bin/python bench/translation_memory.py

Runs in a throwaway test database (SQLite in memory, or test_<name> of DATABASE_URL).
"""

import math
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def second_procedure(microneedling):
    """A copy of microneedling's page in which two text segments in three are rewritten."""
    from wagtail.models import Locale
    from wagtail_localize.segments import StringSegmentValue
    from wagtail_localize.segments.extract import extract_segments
    from wagtail_localize.segments.ingest import ingest_segments
    from wagtail_localize.strings import StringValue

    page = microneedling.copy(update_attrs={"slug": "dermaplaning", "title": "Dermaplaning"}, keep_live=False)
    page = page.specific
    segments = extract_segments(page)
    strings = [number for number, segment in enumerate(segments) if isinstance(segment, StringSegmentValue)]
    # The title and slug name the new procedure; one text in three of the rest is kept.
    content = [number for number in strings if segments[number].path not in ("title", "slug")]
    need = math.ceil(len(strings) / 3)
    keep = {content[round(step * len(content) / need)] for step in range(need)}
    for number in content:
        if number not in keep:
            segment = segments[number]
            rewrite = StringValue.from_plaintext(f"Dermaplaning text {number}, written anew.")
            segments[number] = StringSegmentValue(segment.path, rewrite, attrs=segment.attrs).with_order(segment.order)
    english = Locale.get_default()
    ingest_segments(microneedling, page, english, english, segments)
    page.title = "Dermaplaning"
    page.save_revision().publish()
    return page, len(strings), len(keep)


def main():
    from wagtail.models import Locale
    from wagtail_localize.models import StringSegment, Translation, TranslationSource

    from cms.translation import memory
    from cms.translation.status import status_rows
    from pages.demo.loader import load_demo
    from pages.models import ProcedurePage

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        load_demo()
        microneedling = ProcedurePage.objects.get(slug="microneedling", locale=Locale.get_default())
        page, total, kept = second_procedure(microneedling)
        source, _created = TranslationSource.get_or_create_from_instance(page)
        print(f"Dermaplaning: {total} text segments, {kept} kept from microneedling ({kept * 100 // total}%)")
        for code in ("fr", "de", "es"):
            locale = Locale.objects.get(language_code=code)
            translation = Translation.objects.create(source=source, target_locale=locale)
            filled = memory.pretranslate(translation)
            index = memory.MemoryIndex(source.locale_id, locale.pk)
            fuzzy = sum(
                1
                for segment in StringSegment.objects.filter(source=source).select_related("string", "context")
                if index.matches(segment.string.data, memory.field_kind(segment.context), limit=1)
            )
            translation.save_target(publish=False)
            [row] = [r for r in status_rows(locales=[locale], pages=[page])]
            print(
                f"  {code}: starts {row.status.percent}% translated ({filled} of {row.status.total} segments "
                f"from 100% matches, to review); {fuzzy} segments have a match of at least "
                f"{memory.FUZZY_THRESHOLD}%"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

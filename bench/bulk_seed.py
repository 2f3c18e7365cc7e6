"""Bring a database to N live pages in minutes: bulk copies of the demo's procedure.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cms_scale_3k .venv/bin/python bench/bulk_seed.py --pages 3000

The database needs its migrations and ``manage.py load_demo_content``. Each copy is the
microneedling procedure with its children (benefits, devices, safety) in every locale,
the four locale copies of a page sharing a new translation key. Copies go into
sections of ``--per-section`` procedures (copies of the "Treatments" index under each
locale's home), so that no page has thousands of children.

PostgreSQL only. Page rows are bulk-created with their treebeard paths
(``Page.steplen`` characters of ``Page.alphabet`` per level), ``url_path`` and
publishing dates computed here; the specific rows are copied from the demo's own rows
in SQL (``INSERT … SELECT``), so every field, StreamField JSON included, is the demo's.
Each copy gets the change row a publish writes. Copies are live with no revision
(``live_revision_id`` is NULL), no wagtail-localize
translation source (their ``meta.translation`` is null) and no search index entry.
Running again adds copies up to the new target (whole procedures, so it may pass it by
a few pages). Checks the tree and renders a copy through the API at the end.
"""

import argparse
import os
import re
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Locale, Page  # noqa: E402

from pages.demo.loader import demo_key  # noqa: E402

NAMESPACE = uuid.UUID("0d4b8a53-8f61-4c1e-9a3e-5f2c7b9d1e47")
PAGE_FIELDS = [field.attname for field in Page._meta.concrete_fields if not field.primary_key]
MAX_STEP = len(Page.alphabet) ** Page.steplen - 1


def child_path(parent_path, step):
    """Treebeard's path of the ``step``-th child (1-based) of the page at ``parent_path``."""
    if not 0 < step <= MAX_STEP:
        raise ValueError(f"{parent_path} cannot have a child number {step}")
    return parent_path + Page._int2str(step).rjust(Page.steplen, Page.alphabet[0])


def copy_key(name, original):
    """The translation key of copy ``name`` of a demo page: one per copy, shared by every locale."""
    return uuid.uuid5(NAMESPACE, f"{name}:{original.translation_key}")


class Demo:
    """The demo pages of one locale that copies are made from and put under."""

    def __init__(self, locale):
        def get(name):
            return Page.objects.get(translation_key=demo_key(name), locale=locale)

        self.locale = locale
        self.treatments = get("treatments")
        self.home = self.treatments.get_parent()
        self.procedure = get("microneedling")
        self.children = list(self.procedure.get_children().order_by("path"))
        self.sections = sorted(
            Page.objects.filter(
                path__startswith=self.home.path,
                depth=self.treatments.depth,
                slug__regex=rf"^{re.escape(self.treatments.slug)}-[0-9]+$",
            ),
            key=lambda section: int(section.slug.rsplit("-", 1)[1]),
        )


def load_demos():
    """A :class:`Demo` per locale of the demo's procedure, the default locale first."""
    demos = [Demo(page.locale) for page in Page.objects.filter(translation_key=demo_key("microneedling"))]
    default = Locale.get_default()
    return sorted(demos, key=lambda demo: demo.locale != default)


class Batch:
    """The pages of some copies, inserted together."""

    def __init__(self, now):
        self.now = now
        self.pages = []  # (demo page copied, new Page)
        self.next_steps = {}  # path -> the last child number given under it
        self.existing_parents = set()

    def step(self, parent):
        """The next free child number under ``parent`` (treebeard appends after the last child)."""
        if parent.path not in self.next_steps:  # a page saved before this batch
            last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).aggregate(Max("path"))
            self.next_steps[parent.path] = Page._str2int(last["path__max"][-Page.steplen :]) if last["path__max"] else 0
            self.existing_parents.add(parent.path)
        self.next_steps[parent.path] += 1
        return self.next_steps[parent.path]

    def add(self, original, parent, *, key, slug, title):
        path = child_path(parent.path, self.step(parent))
        self.next_steps[path] = 0
        values = {name: getattr(original, name) for name in PAGE_FIELDS}
        values.update(
            path=path,
            depth=len(path) // Page.steplen,
            numchild=0,
            translation_key=key,
            slug=slug,
            title=title,
            draft_title=title,
            url_path=f"{parent.url_path}{slug}/",
            live=True,
            has_unpublished_changes=False,
            first_published_at=self.now,
            last_published_at=self.now,
            latest_revision_created_at=None,
            live_revision_id=None,
            latest_revision_id=None,
            locked=False,
            locked_at=None,
            locked_by_id=None,
            alias_of_id=None,
        )
        page = Page(**values)
        self.pages.append((original, page))
        return page

    def add_copy(self, demo, index, per_section):
        number, position = divmod(index, per_section)
        if position == 0:
            treatments = demo.treatments
            slug = f"{treatments.slug}-{number + 1}"
            key = copy_key(f"section-{number}", treatments)
            title = f"{treatments.title} {number + 1}"
            demo.sections.append(self.add(treatments, demo.home, key=key, slug=slug, title=title))
        original = demo.procedure
        procedure = self.add(
            original,
            demo.sections[number],
            key=copy_key(index, original),
            slug=f"{original.slug}-{index + 1}",
            title=f"{original.title} {index + 1}",
        )
        for child in demo.children:
            self.add(child, procedure, key=copy_key(index, child), slug=child.slug, title=child.title)

    def save(self):
        for _original, page in self.pages:
            page.numchild = self.next_steps[page.path]
        Page.objects.bulk_create([page for _original, page in self.pages], batch_size=2000)
        copies = {}
        for original, page in self.pages:
            copies.setdefault(original, []).append(page.pk)
        for original, new_ids in copies.items():
            copy_specific_rows(original.specific_class, original.pk, new_ids)
        fix_numchild(self.existing_parents)
        record_publishes([page for _original, page in self.pages])


def record_publishes(pages):
    """The change rows a publish writes, so the copies have a history like any published page
    (the sync feed and the invalidation rules read it)."""
    from cms.delivery.models import ChangeEvent, ContentChange
    from cms.delivery.recording import change_row

    locales = Locale.objects.in_bulk()
    rows = []
    for page in pages:
        page.locale = locales[page.locale_id]
        rows.append(change_row(ChangeEvent.PUBLISHED, page, None))
    ContentChange.objects.bulk_create(rows, batch_size=2000)


def copy_specific_rows(model, source_id, new_ids):
    """Copy the row(s) of page ``source_id`` below ``wagtailcore_page`` once per id in ``new_ids``."""
    quote = connection.ops.quote_name
    for table_model in reversed([model, *model._meta.get_parent_list()]):
        if table_model is Page:
            continue
        meta = table_model._meta
        pointer = meta.pk.column
        columns = ", ".join(quote(field.column) for field in meta.local_concrete_fields if field.column != pointer)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({quote(pointer)}, {columns}) "
                f"SELECT new_id, {columns} FROM {quote(meta.db_table)}, unnest(%s::integer[]) AS new_id "
                f"WHERE {quote(pointer)} = %s",
                [new_ids, source_id],
            )


def fix_numchild(parent_paths):
    for path in parent_paths:
        depth = len(path) // Page.steplen
        count = Page.objects.filter(path__startswith=path, depth=depth + 1).count()
        Page.objects.filter(path=path).update(numchild=count)


def seed(demos, target, per_section, batch_size):
    """Add procedure copies until ``target`` pages are live; returns (pages added, seconds)."""
    first = demos[0]
    done = sum(Page.objects.filter(path__startswith=s.path, depth=s.depth + 1).count() for s in first.sections)
    missing = target - Page.objects.live().count()
    end = done
    while missing > 0:
        missing -= len(demos) * ((end % per_section == 0) + 1 + len(first.children))
        end += 1
    started = time.monotonic()
    added = 0
    for start in range(done, end, batch_size):
        batch = Batch(timezone.now())
        for demo in demos:
            for index in range(start, min(start + batch_size, end)):
                batch.add_copy(demo, index, per_section)
        with transaction.atomic():
            batch.save()
        added += len(batch.pages)
        elapsed = time.monotonic() - started
        print(f"  {added} pages added in {elapsed:.0f}s ({added / elapsed:.0f} pages/s)", flush=True)
    return added, time.monotonic() - started


def check_tree(sample):
    """Treebeard's invariants over the whole tree in four SQL statements, and treebeard's
    own ``find_problems`` under each page of ``sample``. Returns the problems found."""
    table = Page._meta.db_table
    steplen = Page.steplen
    checks = {
        "bad characters or path length": f"""
            SELECT count(*) FROM {table} WHERE path !~ '^[0-9A-Z]+$' OR length(path) % {steplen} <> 0""",
        "wrong depth": f"SELECT count(*) FROM {table} WHERE depth * {steplen} <> length(path)",
        "orphans": f"""
            SELECT count(*) FROM {table} child WHERE child.depth > 1 AND NOT EXISTS (
                SELECT 1 FROM {table} parent WHERE parent.path = left(child.path, -{steplen}))""",
        "wrong numchild": f"""
            SELECT count(*) FROM {table} page LEFT JOIN (
                SELECT left(path, -{steplen}) AS parent_path, count(*) AS children FROM {table}
                WHERE depth > 1 GROUP BY 1
            ) counted ON counted.parent_path = page.path
            WHERE page.numchild <> coalesce(counted.children, 0)""",
    }
    problems = {}
    with connection.cursor() as cursor:
        for name, sql in checks.items():
            cursor.execute(sql)
            count = cursor.fetchone()[0]
            if count:
                problems[name] = count
    for page in sample:
        found = [ids for ids in Page.find_problems(parent=page) if ids]
        if found:
            problems[f"find_problems under {page.url_path}"] = found
    return problems


def check_api(demos):
    """GET the detail of the newest copy's procedure and children in French (or the first
    locale) through the API; returns the failures."""
    demo = next((demo for demo in demos if demo.locale.language_code == "fr"), demos[0])
    section = demo.sections[-1]
    procedure = Page.objects.filter(path__startswith=section.path, depth=section.depth + 1).order_by("path").last()
    client = Client(HTTP_HOST="127.0.0.1")
    failures = []
    for page in [procedure, *procedure.get_children()]:
        url = f"/api/v1/pages/{page.translation_key}/?locale={demo.locale.language_code}"
        response = client.get(url)
        if response.status_code != 200 or response.json()["title"] != page.title:
            failures.append(f"{url}: {response.status_code} {response.content[:300]!r}")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, required=True, help="live pages wanted, e.g. 3000, 30000, 100000")
    parser.add_argument(
        "--per-section", type=int, default=100, help="procedures per section (default 100; keep it for a database)"
    )
    parser.add_argument("--batch", type=int, default=250, help="procedure copies per transaction (default 250)")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bulk_seed.py needs PostgreSQL: set DATABASE_URL=postgres://…")
    print(f"Seeding {connection.settings_dict['NAME']} up to {args.pages} live pages …", flush=True)
    demos = load_demos()
    added, seconds = seed(demos, args.pages, args.per_section, args.batch)
    if added:
        print(f"Added {added} pages in {seconds:.1f}s: {added / seconds:.0f} pages/s")
    live = Page.objects.live().count()
    print(f"Live pages: {live}")
    started = time.monotonic()
    sample = [demo.treatments for demo in demos] + [section for demo in demos for section in demo.sections[-1:]]
    problems = check_tree(sample)
    print(f"Tree checked in {time.monotonic() - started:.1f}s: {problems or 'no problems'}")
    failures = check_api(demos) if demos[0].sections else []
    print("API:", "; ".join(failures) if failures else "copies render (200)")
    if live < args.pages or problems or failures:
        sys.exit(1)


if __name__ == "__main__":
    main()

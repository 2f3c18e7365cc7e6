"""Loading the page a public read serves: one SQL statement, written once per page type.

A detail read needs one page with its locale and the images it serves. The ORM can load
that (``select_related``), but it compiles the same 70-column SQL again on every
request, which cost more than running it. :class:`PageLoader` writes the statement
once per page type and connection, from the model's own field list, and builds the
instances the way the ORM does (``Model.from_db``, the fields' database converters), so
what a read gets is the same page the ORM would return. ``tests/api/test_loader.py``
checks that, field by field, for every page type.

Usage::

    page = PageLoader.for_model(ProcedurePage).load(page_id)  # None when there is no such page
"""

from functools import cache

from django.db import connections, models, router
from wagtail.images.models import AbstractImage
from wagtail.models import Page

from pages import public


@cache
def image_relations(model):
    """The image foreign keys among ``model``'s public fields."""
    relations = []
    for declared in getattr(model, "public_fields", ()):
        if isinstance(declared, public.Field):
            field = model._meta.get_field(declared.name)
            if isinstance(field, models.ForeignKey) and issubclass(field.related_model, AbstractImage):
                relations.append(field)
    return tuple(relations)


class _Part:
    """One model's columns in the statement: where they are and how to read them.

    ``alias`` names the joined table for a related model; without it, each column is
    qualified by its own model's table (a page's fields span its ancestors' tables).
    """

    def __init__(self, model, connection, *, alias=None, via=None):
        self.model = model
        self.via = via  # the foreign key this part is reached through (None: the page)
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [field.attname for field in self.fields]
        self.tables = [alias or field.model._meta.db_table for field in self.fields]
        self.converters = []
        for index, (field, table) in enumerate(zip(self.fields, self.tables, strict=True)):
            column = field.get_col(table)
            found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if found:
                self.converters.append((index, column, found))

    def columns(self, quote):
        return [f"{quote(table)}.{quote(field.column)}" for field, table in zip(self.fields, self.tables, strict=True)]

    def build(self, values, connection, db):
        values = list(values)
        for index, column, converters in self.converters:
            value = values[index]
            for converter in converters:
                value = converter(value, column, connection)
            values[index] = value
        return self.model.from_db(db, self.attnames, values)


class PageLoader:
    """Loads specific pages of one type by id, with their locale and public images."""

    @classmethod
    @cache
    def for_model(cls, model):
        return cls(model)

    def __init__(self, model):
        self.model = model
        self._prepared = {}

    def load(self, page_id):
        """The page with id ``page_id`` (live or not: visibility is the caller's), or None."""
        db = router.db_for_read(self.model)
        connection = connections[db]
        sql, parts = self._prepare(connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, [page_id])
            row = cursor.fetchone()
        if row is None:
            return None
        page_part, *related_parts = parts
        offset = len(page_part.fields)
        page = page_part.build(row[:offset], connection, db)
        for part in related_parts:
            values = row[offset : offset + len(part.fields)]
            offset += len(part.fields)
            part.via.set_cached_value(page, part.build(values, connection, db) if values[0] is not None else None)
        return page

    def _prepare(self, connection):
        prepared = self._prepared.get(connection.alias)
        if prepared is None:
            prepared = self._prepared[connection.alias] = self._statement(connection)
        return prepared

    def _statement(self, connection):
        quote = connection.ops.quote_name
        opts = self.model._meta
        own = quote(opts.db_table)
        joins = [
            f"JOIN {quote(parent._meta.db_table)} ON {quote(parent._meta.db_table)}.{quote(parent._meta.pk.column)}"
            f" = {own}.{quote(opts.pk.column)}"
            for parent in opts.get_parent_list()
        ]
        parts = [_Part(self.model, connection)]
        related = [("page_locale", Page._meta.get_field("locale"))]
        related += [(f"image_{number}", field) for number, field in enumerate(image_relations(self.model))]
        for alias, field in related:
            target = field.related_model._meta
            parts.append(_Part(field.related_model, connection, alias=alias, via=field))
            joins.append(
                f"LEFT JOIN {quote(target.db_table)} {quote(alias)} ON {quote(alias)}.{quote(target.pk.column)}"
                f" = {quote(field.model._meta.db_table)}.{quote(field.column)}"
            )
        columns = ", ".join(column for part in parts for column in part.columns(quote))
        sql = f"SELECT {columns} FROM {own} {' '.join(joins)} WHERE {own}.{quote(opts.pk.column)} = %s"
        return sql, parts

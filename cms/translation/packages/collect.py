"""Gather the units of one locale from wagtail-localize's rows.

Everything comes from TranslationSource, StringSegment, String and StringTranslation:
the same segments the admin's translation editor shows, so a package and the editor
can never disagree about what there is to translate.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Page
from wagtail_localize.models import StringSegment, Translation

from cms.translation import memory
from cms.translation.fields import describe_field
from cms.translation.staleness import annotate_translation_state, is_machine_translated, untranslated_q

from .units import Package, Unit, UnitKey

SCOPES = ("all", "untranslated", "stale")


def translations_for(locale, root=None, pages=None):
    """The enabled Translations into ``locale``, limited to ``root``'s subtree when given.

    Without a root, snippets (e.g. devices) are included; with one, only its pages.
    ``pages`` (a page queryset, e.g. a clinic's) keeps to the translations of those pages.
    """
    translations = Translation.objects.filter(target_locale=locale, enabled=True).select_related(
        "source", "source__locale", "source__specific_content_type"
    )
    if root is not None:
        subtree = Page.objects.descendant_of(root, inclusive=True).values("translation_key")
        translations = translations.filter(source__object_id__in=subtree)
    if pages is not None:
        translations = translations.filter(source__object_id__in=pages.values("translation_key"))
    return translations.order_by("source__object_repr", "pk")


def resolve_root(key):
    """The page whose translation key (or id) is ``key``, in its source locale; ValidationError if unknown."""
    pages = Page.objects.filter(depth__gt=1)
    page = pages.filter(translation_key=key).order_by("pk").first() if _is_uuid(key) else None
    if page is None and str(key).isdigit():
        page = pages.filter(pk=int(key)).first()
    if page is None:
        raise ValidationError(_("No page has the key “%(key)s”.") % {"key": key})
    return page


def _is_uuid(value):
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _absolute(url):
    if not url or url.startswith("http"):
        return url or ""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


def _page_links(translations, locale):
    """Preview url, public url and tree path by translation id, for pages, in two queries."""
    keys = {t.source.object_id for t in translations}
    targets = dict(Page.objects.filter(translation_key__in=keys, locale=locale).values_list("translation_key", "pk"))
    sources = {
        (page.translation_key, page.locale_id): page
        for page in Page.objects.filter(translation_key__in=keys).only(
            "id", "path", "url_path", "translation_key", "locale"
        )
    }
    previews, urls, paths = {}, {}, {}
    for translation in translations:
        key = translation.source.object_id
        if key in targets:
            previews[translation.pk] = _absolute(reverse("wagtailadmin_pages:edit", args=[targets[key]]))
        source_page = sources.get((key, translation.source.locale_id))
        if source_page is not None:
            urls[translation.pk] = source_page.get_url() or ""
            paths[translation.pk] = source_page.path
    return previews, urls, paths


def collect_units(locale, scope="all", root=None, pages=None):
    """Build the Package of ``locale``: every string segment of every translation, in page order
    (of ``pages`` only, when given: see ``translations_for``)."""
    if scope not in SCOPES:
        raise ValidationError(
            _("Unknown scope “%(scope)s”; choose one of %(all)s.") % {"scope": scope, "all": ", ".join(SCOPES)}
        )
    translations = list(translations_for(locale, root, pages))
    previews, urls, paths = _page_links(translations, locale)
    # Pages in tree order (a home before its procedures), then snippets by name.
    translations.sort(key=lambda t: (t.pk not in paths, paths.get(t.pk, ""), t.source.object_repr))
    by_source = {t.source_id: t for t in translations}

    segments = annotate_translation_state(
        StringSegment.objects.filter(source_id__in=by_source).select_related("string", "context"), locale.pk
    )
    if scope == "untranslated":
        segments = segments.filter(untranslated_q())
    elif scope == "stale":
        segments = segments.filter(is_stale=True)

    source_locales = {t.source.locale.language_code for t in translations}
    package = Package(
        source_locale=min(source_locales) if source_locales else settings.LANGUAGE_CODE,
        target_locale=locale.language_code,
        titles={t.pk: t.source.object_repr for t in translations},
    )
    order = {t.source_id: index for index, t in enumerate(translations)}
    indexes = {}  # one translation memory per source locale, loaded once
    for segment in sorted(segments, key=lambda s: (order[s.source_id], s.order)):
        translation = by_source[segment.source_id]
        model = translation.source.specific_content_type.model_class()
        info = describe_field(model, segment.context.field_path or segment.context.path)
        machine = is_machine_translated(segment.translation_type)
        exact, fuzzy = None, ()
        if not segment.translation:
            source_locale_id = translation.source.locale_id
            if source_locale_id not in indexes:
                indexes[source_locale_id] = memory.MemoryIndex(source_locale_id, locale.pk)
            exact, fuzzy = _memory_matches(indexes[source_locale_id], segment)
        package.units.append(
            Unit(
                key=UnitKey(translation.pk, segment.context_id, segment.string_id),
                source=segment.string.data,
                target=segment.translation or "",
                page_title=translation.source.object_repr,
                field_path=segment.context.field_path or segment.context.path,
                field_label=info.label,
                block_type=info.block_type,
                max_length=info.max_length,
                preview_url=previews.get(translation.pk, ""),
                page_url=urls.get(translation.pk, ""),
                previous_translation=segment.previous_translation,
                previous_source=segment.previous_source,
                machine_tool=(segment.translation_tool or "") if machine else None,
                error=bool(segment.translation_has_error),
                memory_target=exact,
                memory_matches=fuzzy,
            )
        )
    return package


def _memory_matches(index, segment):
    """(the 100% match's translation or None, the fuzzy matches) of an untranslated segment."""
    kind = memory.field_kind(segment.context)
    if kind in memory.NOT_REMEMBERED:
        return None, ()
    found = index.matches(segment.string.data, kind)
    exact = next((match.target_text for match in found if match.exact), None)
    # A stale segment's previous translation already travels as such; not twice.
    previous = (segment.previous_source, segment.previous_translation)
    return exact, tuple(m for m in found if not m.exact and (m.source_text, m.target_text) != previous)

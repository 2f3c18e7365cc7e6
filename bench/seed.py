"""Scale the demo up for the benchmark: N copies of the microneedling procedure (with its
benefits, comparison and checklist pages) in every locale, sharing translation keys
across locales the way wagtail-localize's translations do."""

import uuid

from django.db import transaction
from wagtail.models import Locale, Page

from pages.demo.loader import demo_key

NAMESPACE = uuid.UUID("2b0c9a51-3f3e-4d38-8d8e-6b1d0e7a9c11")


def procedures_in(language_code):
    return Page.objects.filter(translation_key=demo_key("microneedling"), locale__language_code=language_code)


def seed(count):
    """Add copies until there are ``count`` procedures per locale; returns how many were made."""
    made = 0
    locales = list(Locale.objects.values_list("language_code", flat=True))
    existing = Page.objects.filter(locale__language_code=locales[0], slug__startswith="microneedling-copy-").count()
    for index in range(existing, count - 1):
        with transaction.atomic():
            for code in locales:
                original = procedures_in(code).get().specific
                copy = _copy(original, original.get_parent(), index, suffix=True)
                for child in original.get_children().specific():
                    _copy(child, Page.objects.get(pk=copy.pk), index)
        made += 1
    return made


def _copy(page, parent, index, suffix=False):
    """Copy one page under ``parent`` with a key shared by every locale's copy."""
    attrs = {"translation_key": uuid.uuid5(NAMESPACE, f"{index}:{page.translation_key}")}
    if suffix:
        attrs.update(slug=f"{page.slug}-copy-{index}", title=f"{page.title} {index}")
    return page.copy(
        recursive=False,
        to=parent,
        update_attrs=attrs,
        keep_live=True,
        copy_revisions=False,
        reset_translation_key=False,
        log_action=None,
    )

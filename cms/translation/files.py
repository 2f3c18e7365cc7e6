"""Reading files people upload (TMX, glossaries): the same limits as translator packages.

A file is refused as a whole, with a message saying why, before anything is written.
"""

import codecs
import os

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .packages.importer import max_package_bytes


def read_upload(path, what):
    """A file's bytes, refused before reading when it is larger than the limit."""
    size, limit = os.path.getsize(path), max_package_bytes()
    if size > limit:
        raise ValidationError(
            _("The %(what)s is %(size)d bytes; at most %(limit)d bytes are accepted.")
            % {"what": what, "size": size, "limit": limit}
        )
    with open(path, "rb") as handle:
        return handle.read(limit + 1)


def checked_bytes(data, what):
    """``data`` without a UTF-8 byte-order mark; ValidationError when too large or empty.

    ``what`` names the kind of file in messages, e.g. "TMX file".
    """
    limit = max_package_bytes()
    if len(data) > limit:
        raise ValidationError(
            _("The %(what)s is %(size)d bytes; at most %(limit)d bytes are accepted.")
            % {"what": what, "size": len(data), "limit": limit}
        )
    data = data.removeprefix(codecs.BOM_UTF8)
    if not data.strip():
        raise ValidationError(_("The %(what)s is empty.") % {"what": what})
    return data


def parse_untrusted_xml(data, what):
    """Parse XML safely; ValidationError naming the problem.

    A document type naming the format's DTD is allowed (translate-toolkit writes
    ``<!DOCTYPE tmx SYSTEM "tmx14.dtd">``) but never read; entities are refused.
    """
    try:
        return SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ValidationError(
            _("The %(what)s declares entities (%(error)s), which are not accepted.")
            % {"what": what, "error": type(exc).__name__}
        ) from exc
    except SafeET.ParseError as exc:
        raise ValidationError(
            _("The %(what)s is not well-formed XML: %(error)s") % {"what": what, "error": exc}
        ) from exc


def site_locale(code, what):
    """The site's Locale for a language code found in a file, or a ValidationError."""
    from wagtail.models import Locale

    locale = Locale.objects.filter(language_code__iexact=(code or "").strip()).first()
    if locale is None:
        raise ValidationError(
            _("The %(what)s is for locale “%(code)s”, which this site does not have.")
            % {"what": what, "code": code or "?"}
        )
    return locale


def expect_pair(found_source, found_target, source, target, what):
    """Refuse a file for another locale pair than the one asked for."""
    if (found_source.pk, found_target.pk) != (source.pk, target.pk):
        raise ValidationError(
            _("The %(what)s is for %(found_source)s → %(found_target)s, not %(source)s → %(target)s.")
            % {
                "what": what,
                "found_source": found_source.language_code,
                "found_target": found_target.language_code,
                "source": source.language_code,
                "target": target.language_code,
            }
        )

"""Names for what a response is built from, and the headers that carry them to a CDN.

A response's tags name everything its bytes depend on. A change names the tags it
makes stale; the response cache (``caching.py``) and the CDN (``cms.delivery.cdn``)
drop exactly the entries carrying one of them.

=============  ==============================================  ==========================================
tag            what a response shows of it                     what changes it
=============  ==============================================  ==========================================
``p:<id>``     the page itself: content, meta                  any publish, unpublish, move or delete
``r:<id>``     the page as others show it: title, path         a retitle, move, unpublish or delete
``k:<key>``    which locales serve a translation key, where    a copy appearing, disappearing or moving
``c:<id>``     which public pages are a page's children        a child appearing, disappearing or moving
``d:<id>``     a snippet (a device) shown inside pages         the snippet saved or deleted
``i:<id>``     an image: file, alt text, renditions            the image saved or deleted
``t:<key>``    the translation status of a key's pages         a translation of its text saved
``list``       which pages a listing holds                     a page shown, hidden, moved or deleted
``rows``       listings by date or relevance, searches         any page change
``titles``     listings in title order                         a retitle, or a page shown or hidden
``t``          listings filtered on translation status         any translation saved
``approved``   listings filtered on medical approval           an approval given or voided
``site``       sites, locales and their root paths             a Site or Locale saved
``keys``       (no response) API keys a process has looked up  an API key saved or deleted
=============  ==============================================  ==========================================

Page ids and keys are short (a number, 32 hex digits), so a page showing a hundred
children still fits a CDN's header limit; past :data:`HEADER_LIMIT` the header falls
back to the coarse :data:`OVERFLOW` tag, which every purge includes.
"""

from dataclasses import dataclass, field
from datetime import datetime

LISTING = "list"
ROWS = "rows"
TITLES = "titles"
TRANSLATIONS = "t"
APPROVALS = "approved"
SITE = "site"
API_KEYS = "keys"
OVERFLOW = "big"
# Fastly takes 16,384 bytes per header and Cloudflare 16 KB of Cache-Tag in all; this
# leaves room for the header name and a proxy's own additions.
HEADER_LIMIT = 8000
# Tags whose time is not a page's own publishing time (``models.TagState``).
TIMED_PREFIXES = ("k:", "c:", "d:", "i:", "t:", SITE, LISTING, APPROVALS)


def page(page_id):
    return f"p:{page_id}"


def reference(page_id):
    return f"r:{page_id}"


def translation_key(key):
    return f"k:{_hex(key)}"


def children(page_id):
    return f"c:{page_id}"


def snippet(snippet_id):
    # By id, not translation key: a page shows its own locale's copy of a device.
    return f"d:{snippet_id}"


def image(image_id):
    return f"i:{image_id}"


def translation_status(key):
    return f"t:{_hex(key)}"


def is_timed(tag):
    return tag.startswith(TIMED_PREFIXES)


def _hex(key):
    return key.hex if hasattr(key, "hex") else str(key).replace("-", "")


@dataclass
class Dependencies:
    """What one response was built from: tags, the pages' own times, and until when it holds.

    Rendering code adds to it as it reads; ``valid_until`` is the earliest moment at
    which something shown goes live or expires.
    """

    tags: set = field(default_factory=set)
    times: list = field(default_factory=list)
    valid_until: datetime | None = None

    def add(self, *tags):
        self.tags.update(tags)

    def add_time(self, moment):
        if moment is not None:
            self.times.append(moment)

    def until(self, moment):
        if moment is not None and (self.valid_until is None or moment < self.valid_until):
            self.valid_until = moment

    def merge(self, other):
        self.tags |= other.tags
        self.times += other.times
        self.until(other.valid_until)


def header_value(tags, separator):
    """The ``Cache-Tag`` (``,``) or ``Surrogate-Key`` (`` ``) value for ``tags``."""
    value = separator.join(sorted(tags))
    if len(value) <= HEADER_LIMIT:
        return value
    coarse = sorted(tag for tag in tags if tag in (SITE, LISTING, ROWS, TITLES, TRANSLATIONS, APPROVALS))
    return separator.join([OVERFLOW, *coarse])

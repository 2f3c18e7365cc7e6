"""Images as the API serves them: a few renditions a front-end picks from (srcset)."""

from wagtail.images.models import Filter

from . import tags
from .paths import absolute
from .site_index import remembered

RENDITION_WIDTHS = (400, 800, 1600)
# Made once: a Filter parses its spec (and inspects its operations) when first used, which
# cost more per read than finding the renditions.
FILTERS = {width: Filter(spec=f"width-{width}") for width in RENDITION_WIDTHS}


def image_value(image, *, alt):
    """``{id, alt, width, height, renditions: {"400": {url, width, height}, …}}``.

    Renditions are fetched (and made, the first time) in one query per image, then kept
    in the process until the image changes (``site_index.remembered``).
    """
    if image is None:
        return None
    return {
        "id": image.pk,
        "alt": alt if alt is not None else (getattr(image, "description", "") or image.title),
        "width": image.width,
        "height": image.height,
        "renditions": remembered(tags.image(image.pk), "renditions", lambda: _renditions(image)),
    }


def _renditions(image):
    renditions = image.get_renditions(*FILTERS.values())
    return {str(width): _rendition(renditions[image_filter.spec]) for width, image_filter in FILTERS.items()}


def _rendition(rendition):
    # Absolute: a bundle or an app shows the image wherever it is hosted. An absolute
    # MEDIA_URL (a CDN) is kept; a relative one is served under the API's base URL.
    return {"url": absolute(rendition.url), "width": rendition.width, "height": rendition.height}

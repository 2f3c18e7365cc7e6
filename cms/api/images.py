"""Images as the API serves them: a few renditions a front-end picks from (srcset)."""

RENDITION_WIDTHS = (400, 800, 1600)


def image_value(image, *, alt):
    """``{id, alt, width, height, renditions: {"400": {url, width, height}, …}}``.

    Renditions are fetched (and made, the first time) in one query per image.
    """
    if image is None:
        return None
    specs = {width: f"width-{width}" for width in RENDITION_WIDTHS}
    renditions = image.get_renditions(*specs.values())
    return {
        "id": image.pk,
        "alt": alt if alt is not None else (getattr(image, "description", "") or image.title),
        "width": image.width,
        "height": image.height,
        "renditions": {
            str(width): {
                "url": renditions[spec].url,
                "width": renditions[spec].width,
                "height": renditions[spec].height,
            }
            for width, spec in specs.items()
        },
    }

"""The OASIS XLIFF schemas vendored in data/xliff/, loaded by lxml without network access.

``xliff-2.0-modules.xsd`` imports the XLIFF 2.0 core schema with the module schemas the
packages use (mtc, mda, slr), so module elements and attributes are validated rather
than skipped; XLIFF 1.2 uses the strict schema. Both import W3C's xml.xsd from the folder.
"""

from functools import cache
from io import BytesIO
from pathlib import Path

from lxml import etree

FOLDER = Path(__file__).parent / "data" / "xliff"
FILES = {"xliff2": "xliff-2.0-modules.xsd", "xliff12": "xliff-core-1.2-strict.xsd"}


@cache
def schema(fmt):
    return etree.XMLSchema(etree.parse(str(FOLDER / FILES[fmt]), etree.XMLParser(no_network=True)))


def assert_valid(fmt, data):
    document = etree.parse(BytesIO(data), etree.XMLParser(no_network=True, resolve_entities=False))
    validator = schema(fmt)
    assert validator.validate(document), validator.error_log

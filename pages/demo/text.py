"""Demo text with its translations side by side, so a sentence and its translations
cannot drift apart."""

from dataclasses import dataclass


@dataclass(frozen=True)
class T:
    """One demo string in English, with its French, German and Spanish translations."""

    en: str
    fr: str
    de: str
    es: str

    def __str__(self):
        return self.en

    def html(self):
        return f"<p>{self.en}</p>"


class Prose(tuple):
    """Rich text made of plain paragraphs, one translation segment each."""

    def __new__(cls, *paragraphs):
        return super().__new__(cls, paragraphs)

    def html(self):
        return "".join(text.html() for text in self)


def collect(value, found=None):
    """Every T inside nested demo data (dicts, lists, tuples)."""
    found = [] if found is None else found
    if isinstance(value, T):
        found.append(value)
    elif isinstance(value, dict):
        for item in value.values():
            collect(item, found)
    elif isinstance(value, list | tuple):
        for item in value:
            collect(item, found)
    return found


def english(value):
    """The demo data with every T replaced by its English text."""
    if isinstance(value, T):
        return value.en
    if isinstance(value, Prose):
        return value.html()
    if isinstance(value, dict):
        return {key: english(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(english(item) for item in value)
    return value

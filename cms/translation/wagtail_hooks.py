"""Wagtail admin hooks of the translation app; each feature registers its own."""

from . import hooks as status_hooks  # noqa: F401  (the "Translation status" report, translators' locales)
from .packages import hooks as package_hooks  # noqa: F401  (the "Translation packages" screen)

"""Translator packages: whole-site XLIFF 2.0, XLIFF 1.2 and PO files out, checked imports in.

Built on wagtail-localize's own rows (TranslationSource, StringSegment, String,
StringTranslation), so what a package contains is what the admin's translation editor
shows, and an import shows up there at once.
"""

from .export import FORMATS, export_packages, write_atomically
from .importer import PackageRejected, apply_import, plan_import

__all__ = ["FORMATS", "PackageRejected", "apply_import", "export_packages", "plan_import", "write_atomically"]

"""Every string of the project's catalogues is translated in French, German and Spanish.

``makemessages`` runs on a copy of the sources (the repository stays untouched) with
the project's ignore options; any untranslated or fuzzy entry fails, and gettext's
``msgfmt -c`` must accept each catalogue (placeholders kept, headers valid).
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]


def test_makemessages_finds_nothing_left_to_translate(tmp_path):
    for name in ("cms", "pages", "templates", "locale"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    command = [sys.executable, "manage.py", "makemessages", "-l", "fr", "-l", "de", "-l", "es", "-v0"]
    subprocess.run(command, cwd=tmp_path, check=True, capture_output=True, timeout=120)
    for language in ("fr", "de", "es"):
        path = tmp_path / "locale" / language / "LC_MESSAGES" / "django.po"
        catalogue = polib.pofile(str(path))
        left = [entry.msgid for entry in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
        assert not left, f"{language}: {len(left)} strings to translate: {left[:10]}"
        subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], check=True, capture_output=True)

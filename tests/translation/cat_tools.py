"""What a translator's CAT tool does to a package, done with third-party libraries.

translate-toolkit edits XLIFF (keeping inline codes, as CAT tools do, and confirming the
segment: XLIFF 2.0 ``translated``, XLIFF 1.2 ``approved="yes"``); polib edits PO and
drops ``fuzzy`` from an entry it changed, as Poedit does.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
from translate.storage import xliff as ttk_xliff
from translate.storage import xliff2 as ttk_xliff2

TTK_STORES = {"xliff2": ttk_xliff2.Xliff2File, "xliff12": ttk_xliff.xlifffile}


def _set_rich_target(unit, text):
    """Copy the source with its inline codes into the target, then append what ``text`` adds to the source.

    ``text`` is plain (translate-toolkit's flattened source + a suffix); a text that does
    not extend the source replaces it, codes dropped, as a careless translator would.
    """
    source = unit.source
    if not text.startswith(source) or not len(unit.getlanguageNode(lang=None, index=0)):
        unit.target = text
        return
    unit.rich_target = unit.rich_source
    _append(unit.getlanguageNode(lang=None, index=1), text[len(source) :])


def _append(element, text):
    """Add text at the end of an element's content, after any inline code."""
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def fill_targets(data, fmt, translate_text, confirm=True):
    """Read a package, set every target to ``translate_text(source, current)`` and write it back.

    ``confirm`` marks changed units as final, as a translator confirming a segment does;
    without it their review state stays as exported.
    """
    if fmt == "po":
        po = polib.pofile(data.decode())
        for entry in po:
            new = translate_text(entry.msgid, entry.msgstr)
            if new != entry.msgstr and confirm and entry.fuzzy:
                entry.flags.remove("fuzzy")
            entry.msgstr = new
        return str(po).encode()
    store = TTK_STORES[fmt].parsestring(data)
    for unit in store.units:
        new = translate_text(unit.source, unit.target or "")
        if new == (unit.target or ""):
            continue
        _set_rich_target(unit, new)
        if confirm:
            unit.markfuzzy(False)
    return bytes(store)


def append_to_targets(data, fmt, suffix):
    """A reviser's pass over an XLIFF package: every target gets ``suffix``, codes untouched, and is confirmed."""
    store = TTK_STORES[fmt].parsestring(data)
    for unit in store.units:
        _append(unit.getlanguageNode(lang=None, index=1), suffix)
        unit.markfuzzy(False)
    return bytes(store)


def toolkit_command(name):
    """translate-toolkit's command-line tool ``name``, from the virtualenv running the tests."""
    path = Path(sys.executable).parent / name
    return str(path) if path.exists() else shutil.which(name)


def pocount(path):
    """translate-toolkit's ``pocount --csv`` of one file, as {column: number}."""
    result = subprocess.run(
        [toolkit_command("pocount"), "--csv", str(path)], capture_output=True, text=True, check=True
    )
    header, row = result.stdout.strip().splitlines()[-2:]
    names, values = [name.strip() for name in header.split(",")], [value.strip() for value in row.split(",")]
    return {name: int(value) for name, value in zip(names, values, strict=True) if value.isdigit()}

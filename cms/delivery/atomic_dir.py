"""Putting a freshly built folder where an old one was, without a moment of half.

A bundle is built in a temporary folder beside its destination (same file system, so
a rename is atomic) and swapped into place only when complete. On Linux the swap is
one ``renameat2(RENAME_EXCHANGE)`` call: readers see the old bundle or the new one,
never a mix and never nothing. Elsewhere it is two renames, and the old bundle is kept
aside until the new one is in place.
"""

import contextlib
import ctypes
import os
import shutil
import tempfile
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _libc_renameat2():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


_renameat2 = _libc_renameat2()


def exchange(first, second):
    """Swap two existing paths atomically. False when the system cannot."""
    if _renameat2 is None:
        return False
    result = _renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    return result == 0


def staging_dir(destination):
    """A new empty folder beside ``destination`` to build into."""
    destination = Path(destination)
    staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}.building-", dir=destination.parent))
    # mkdtemp makes a private folder; a bundle is for web servers to read, like any
    # folder made with the user's umask.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, 0o777 & ~umask)
    return staging


def leftovers(destination):
    """Staging folders of earlier runs that were killed before they could clean up."""
    destination = Path(destination)
    return sorted(destination.parent.glob(f".{destination.name}.building-*"))


def replace_dir(staging, destination):
    """Move the complete ``staging`` folder to ``destination``, replacing what was there."""
    staging, destination = Path(staging), Path(destination)
    if not destination.exists():
        os.rename(staging, destination)
        return
    if exchange(staging, destination):
        shutil.rmtree(staging)  # now holds the previous bundle
        return
    previous = destination.with_name(f".{destination.name}.previous-{os.getpid()}")
    os.rename(destination, previous)
    try:
        os.rename(staging, destination)
    except OSError:
        os.rename(previous, destination)
        raise
    shutil.rmtree(previous)


def remove_quietly(path):
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(path)

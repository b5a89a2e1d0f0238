"""The site's full-text search: a static index made by Pagefind (the `search` extra,
`pagefind[bin]`: a binary in the wheel), read by the browser, no server needed.

Pagefind has no incremental mode and leaves old files behind, so the index is made again
only when a page of the site changed (the pages' sizes and times, as the manifest has
them, are kept beside the index), in a new folder that then replaces `pagefind/` whole.
It detects each page's language and makes one stemmed index per language.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from rencontres.core.errors import Refused, RencontresError
from rencontres.core.i18n import _

FOLDER = "pagefind"
STAMP = ".rencontres-pages"  # in the index's folder: the pages it was made from


def available() -> bool:
    """Whether Pagefind is installed (the `search` extra)."""
    import importlib.util

    return importlib.util.find_spec("pagefind") is not None


def pages_digest(out: Path) -> str:
    """A digest of the names, sizes and times of the site's HTML pages, from its manifest."""
    from rencontres.site.build import MANIFEST

    try:
        text = (out / MANIFEST).read_text(encoding="utf-8")
    except OSError:
        return ""
    h = hashlib.sha256()
    for line in text.splitlines():
        rel, *rest = line.split("\t")
        if rel.endswith(".html"):
            h.update(f"{rel}\t{rest[1:] if len(rest) == 3 else ''}\n".encode())
    return h.hexdigest()


def up_to_date(out: Path) -> bool:
    try:
        return (out / FOLDER / STAMP).read_text(encoding="utf-8") == pages_digest(out)
    except OSError:
        return False


def index(out: Path, groups: list[str], timeout: float = 600) -> bool:
    """Make the search index of the site in `out` when a page changed since the last one;
    True when it was made. A failure leaves the last index as it was."""
    if FOLDER in groups:
        raise Refused(_("{folder}: a group is named '{name}', the search index's folder")
                      .format(folder=out / FOLDER, name=FOLDER),
                      _("rename the group's folder, or build the site without its search"))
    target = out / FOLDER
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise Refused(_("{folder}: not a folder the build made, left untouched")
                      .format(folder=target), _("move it away, then build again"))
    if up_to_date(out):
        return False
    digest = pages_digest(out)
    fresh, old = out / f".{FOLDER}-new", out / f".{FOLDER}-old"
    for leftover in (fresh, old):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover)
    # Pagefind's configuration through its environment variables: the site, a new folder
    # for the index, result links kept as written (`…/index.html`: they work from a
    # sub-path), errors only.
    config = {"PAGEFIND_SITE": str(out), "PAGEFIND_OUTPUT_PATH": str(fresh),
              "PAGEFIND_KEEP_INDEX_URL": "true", "PAGEFIND_SILENT": "true"}
    try:
        done = subprocess.run([sys.executable, "-m", "pagefind"], capture_output=True,
                              timeout=timeout, env={**os.environ, **config})
    except (OSError, subprocess.TimeoutExpired) as e:
        raise RencontresError(_("{site}: the search index could not be made ({why})")
                              .format(site=out, why=e),
                              _("the pages are written; build again to retry")) from e
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip().splitlines()
        raise RencontresError(
            _("{site}: Pagefind failed making the search index: {why}").format(
                site=out, why=said[-1][:300]) if said
            else _("{site}: Pagefind failed making the search index").format(site=out),
            _("the pages are written; build again to retry"))
    (fresh / STAMP).write_text(digest, encoding="utf-8")
    if target.is_dir():
        os.replace(target, old)
    os.replace(fresh, target)
    shutil.rmtree(old, ignore_errors=True)
    return True

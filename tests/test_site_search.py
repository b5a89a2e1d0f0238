"""The search index: made by Pagefind when installed, made again only when a page changed,
its folder replaced whole; without Pagefind the site is complete, without a search box."""

from __future__ import annotations

import importlib.util
import os

import pytest

needs_pagefind = pytest.mark.skipif(importlib.util.find_spec("pagefind") is None,
                                    reason="Pagefind is not installed (pip install '.[search]')")


@needs_pagefind
def test_the_index_is_made_again_only_when_a_page_changed(cli, records, tmp_path):
    site = tmp_path / "site"
    run = cli("--records", records, "build", "--search", "-o", site)
    assert run.exit_code == 0, run.stderr
    assert "search index made again" in run.stderr
    assert (site / "pagefind/pagefind.js").is_file() and (site / "search.html").is_file()
    assert (site / "pagefind/pagefind-entry.json").read_text().count('"fr"') >= 1
    before = {p: p.stat().st_mtime_ns for p in (site / "pagefind").rglob("*")}

    run = cli("--records", records, "build", "--search", "-o", site)
    assert "nothing to write" in run.stderr and "search index" not in run.stderr
    os.utime(records / "ramsess/2007-11-22.toml")  # saved, not changed: no page changes
    run = cli("--records", records, "build", "--search", "-o", site)
    assert "search index" not in run.stderr
    assert {p: p.stat().st_mtime_ns for p in (site / "pagefind").rglob("*")} == before

    stale = site / "pagefind" / "fragment" / "left-by-an-old-index.pf_fragment"
    stale.write_bytes(b"old")
    path = records / "ramsess/2007-11-22.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Plusieurs questions devront", "Plusieurs questions vont"), encoding="utf-8")
    run = cli("--records", records, "build", "--search", "-o", site, "-v")
    assert run.stdout.splitlines() == [f"wrote {site}/ramsess/2007-11-22.{ext}"
                                       for ext in ("html", "md", "spip")]
    assert "search index made again" in run.stderr
    assert not stale.exists()  # the folder replaced whole
    assert not (site / ".pagefind-new").exists() and not (site / ".pagefind-old").exists()
    # --prune never touches the index: the build's manifest does not list it
    run = cli("--records", records, "build", "--search", "--prune", "-o", site)
    assert run.exit_code == 0 and (site / "pagefind/pagefind.js").is_file()


@needs_pagefind
def test_a_group_named_like_the_index_folder_is_refused(cli, tmp_path):
    from conftest import make_group

    make_group(tmp_path / "records", "pagefind", **{"2026-01-15": "date = 2026-01-15\n"})
    run = cli("--records", tmp_path / "records", "build", "--search", "-o", tmp_path / "site")
    assert run.exit_code == 4 and "a group is named 'pagefind'" in run.stderr
    assert "Traceback" not in run.stderr
    run = cli("--records", tmp_path / "records", "build", "--no-search", "-o", tmp_path / "s2")
    assert run.exit_code == 0


def test_without_pagefind_the_site_has_no_search(cli, records, tmp_path, monkeypatch):
    from rencontres.site import search

    monkeypatch.setattr(search, "available", lambda: False)
    run = cli("--records", records, "build", "--search", "-o", tmp_path / "site")
    assert run.exit_code == 2 and "Pagefind is not installed" in run.stderr
    assert not (tmp_path / "site").exists()
    run = cli("--records", records, "build", "-o", tmp_path / "site")
    assert run.exit_code == 0 and "search" not in run.stderr
    assert not (tmp_path / "site/search.html").exists()
    assert not (tmp_path / "site/pagefind").exists()
    page = (tmp_path / "site/ramsess/2007-11-22.html").read_text(encoding="utf-8")
    assert 'role="search"' not in page and "search.html" not in page

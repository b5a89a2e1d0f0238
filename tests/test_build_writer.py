"""The site writer: only changed bytes are written; leftovers reported, pruned on request."""

from __future__ import annotations

import os

import pytest

from rencontres.site.build import MANIFEST, Outputs, write_site


def _outputs(**files: str) -> Outputs:
    out = Outputs()
    for name, text in files.items():
        out.add(name.replace("__", "/").replace("_", "."), text)
    return out


def test_second_build_writes_nothing_and_keeps_mtimes(tmp_path):
    site = tmp_path / "site"
    first = write_site(_outputs(g__index_md="a", g__x_md="b"), site)
    assert first.written == ["g/index.md", "g/x.md"]
    old = {p: os.stat(site / p).st_mtime_ns for p in first.written}
    os.utime(site / "g/x.md", ns=(1, 1))
    again = write_site(_outputs(g__index_md="a", g__x_md="b"), site)
    assert again.written == [] and again.unchanged == ["g/index.md", "g/x.md"]
    assert os.stat(site / "g/index.md").st_mtime_ns == old["g/index.md"]
    assert os.stat(site / "g/x.md").st_mtime_ns == 1


def test_only_changed_files_are_rewritten(tmp_path):
    site = tmp_path / "site"
    write_site(_outputs(a_md="1", b_md="2"), site)
    report = write_site(_outputs(a_md="1", b_md="two"), site)
    assert report.written == ["b.md"]
    assert (site / "b.md").read_text() == "two"


def test_leftovers_are_reported_then_pruned_and_foreign_files_kept(tmp_path):
    site = tmp_path / "site"
    write_site(_outputs(g__a_md="1", g__b_md="2"), site)
    (site / "mine.txt").write_text("not the build's")
    report = write_site(_outputs(g__a_md="1"), site)
    assert report.leftovers == ["g/b.md"] and (site / "g/b.md").exists()
    assert "g/b.md" in (site / MANIFEST).read_text()
    report = write_site(_outputs(g__a_md="1"), site, prune=True)
    assert report.removed == ["g/b.md"] and not (site / "g/b.md").exists()
    assert (site / "mine.txt").read_text() == "not the build's"
    assert write_site(_outputs(g__a_md="1"), site).leftovers == []


def test_one_path_twice_or_outside_is_refused():
    out = Outputs()
    out.add("a.md", "x")
    with pytest.raises(ValueError):
        out.add("a.md", "y")
    for bad in ("../x", "/etc/x", MANIFEST):
        with pytest.raises(ValueError):
            out.add(bad, "y")

"""`rencontres build` on the shipped records: everything once, then only what changed."""

from __future__ import annotations

import os

from conftest import make_group, snapshot
from render_support import Tags, md_outline


def _mtimes(site):
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns
            for p in site.rglob("*") if p.is_file()}


def test_build_then_rebuild_writes_nothing(cli, records, tmp_path):
    site = tmp_path / "site"
    first = cli("--records", records, "build", "--no-search", "-o", site)
    assert first.exit_code == 0, first.stderr
    records_count = len(list((records / "ramsess").glob("2*.toml")))
    for ext in ("md", "spip", "html"):
        assert (site / "ramsess" / f"2007-11-22.{ext}").is_file()
        assert (site / "ramsess" / f"index.{ext}").is_file()
        assert (site / "ramsess" / f"keywords.{ext}").is_file()
    assert len(list((site / "ramsess").glob("2*.md"))) == records_count
    # the synthesis in the site is the one `render` prints
    assert (site / "ramsess/2007-11-22.md").read_text(encoding="utf-8") == \
        cli("--records", records, "render", "ramsess/2007-11-22").stdout
    outline = md_outline((site / "ramsess/index.md").read_text(encoding="utf-8"))
    assert outline[0] == ("h1", "Articles dans la même rubrique")
    assert "ul" in Tags((site / "ramsess/index.html").read_text(encoding="utf-8")).tags

    before = _mtimes(site)
    second = cli("--records", records, "build", "--no-search", "-o", site)
    assert second.exit_code == 0
    assert second.stdout == ""
    assert "nothing to write" in second.stderr
    assert _mtimes(site) == before


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _build_changes(cli, records, site):
    before = _mtimes(site)
    run = cli("--records", records, "build", "--no-search", "-o", site, "-v")
    assert run.exit_code == 0, run.stderr
    after = _mtimes(site)
    changed = {k for k in after if after[k] != before.get(k)} - {".rencontres-build"}
    printed = {line.removeprefix(f"wrote {site}/") for line in run.stdout.splitlines()}
    assert printed == changed
    return changed


def test_changing_one_record_rewrites_only_what_depends_on_it(cli, records, tmp_path):
    """A record's text changed: its synthesis alone; its title changed: also every page
    that lists it (the plan, the group's page and lists, each synthesis's "même rubrique",
    its keywords' pages), and nothing else."""
    site = tmp_path / "site"
    assert cli("--records", records, "build", "--no-search", "-o", site).exit_code == 0
    _edit(records / "ramsess" / "2007-11-22.toml", "Plusieurs questions devront être affinées",
          "Plusieurs questions seront affinées")
    assert _build_changes(cli, records, site) == {
        f"ramsess/2007-11-22.{ext}" for ext in ("md", "spip", "html")}

    _edit(records / "ramsess" / "2008-02-27.toml", "Synthèse de la 5ème rencontre",
          "Synthèse de la 5ème rencontre (corrigée)")
    syntheses = {p.name for p in (site / "ramsess").glob("2*.html")}
    assert len(syntheses) == 13
    keywords = {f"ramsess/mot/{p.name}" for p in (site / "ramsess/mot").glob("*.html")}
    assert len(keywords) == 3
    assert _build_changes(cli, records, site) == {
        "index.html", "ramsess/meetings.json", "ramsess/index.html", "ramsess/index.md",
        "ramsess/index.spip", "ramsess/keywords.md", "ramsess/keywords.spip",
        "ramsess/2008-02-27.md", "ramsess/2008-02-27.spip",
        *(f"ramsess/{name}" for name in syntheses), *keywords}
    assert "(corrigée)" in (site / "ramsess/2007-11-22.html").read_text(encoding="utf-8")


def test_a_record_with_an_error_stops_the_build_before_any_write(cli, records, tmp_path):
    site = tmp_path / "site"
    (records / "ramsess" / "2010-01-01.toml").write_text("date = 2010-01-02\n")
    run = cli("--records", records, "build", "--no-search", "-o", site)
    assert run.exit_code == 1
    assert "2010-01-01.toml:1: error: date 2010-01-02 disagrees" in run.stderr
    assert "nothing written" in run.stderr
    assert not site.exists()
    (records / "ramsess" / "2010-01-01.toml").write_text("date = 2010-01-01\n")
    assert cli("--records", records, "build", "--no-search", "-o", site).exit_code == 0
    before = snapshot(site)
    (records / "ramsess" / "2010-01-01.toml").write_text("date = 2010-01-02\n")
    assert cli("--records", records, "build", "--no-search", "-o", site).exit_code == 1
    assert snapshot(site) == before


def test_deleted_record_leaves_leftovers_until_prune(cli, records, tmp_path):
    site = tmp_path / "site"
    assert cli("--records", records, "build", "--no-search", "-o", site).exit_code == 0
    os.remove(records / "ramsess" / "2009-02-17.toml")
    run = cli("--records", records, "build", "--no-search", "-o", site)
    assert f"leftover {site}/ramsess/2009-02-17.md" in run.stderr
    assert (site / "ramsess/2009-02-17.md").exists()
    run = cli("--records", records, "build", "--no-search", "-o", site, "--prune", "-v")
    assert f"removed {site}/ramsess/2009-02-17.md" in run.stdout
    assert not (site / "ramsess/2009-02-17.md").exists()


def test_default_site_folder_is_beside_the_records(cli, records):
    assert cli("--records", records, "build").exit_code == 0
    assert (records.parent / "site" / "ramsess" / "index.md").is_file()


def test_unchanged_records_are_not_rendered_again(cli, records, tmp_path, monkeypatch):
    site = tmp_path / "site"
    assert cli("--records", records, "build", "--no-search", "-o", site).exit_code == 0
    import rencontres.render

    def no_render(ctx):
        raise AssertionError(f"{ctx.meeting.key} rendered again")

    monkeypatch.setattr(rencontres.render, "build", no_render)
    run = cli("--records", records, "build", "--no-search", "-o", site)
    assert run.exit_code == 0 and "nothing to write" in run.stderr


def test_a_synthesis_edited_by_hand_is_made_again(cli, records, tmp_path):
    site = tmp_path / "site"
    assert cli("--records", records, "build", "--no-search", "-o", site).exit_code == 0
    page = site / "ramsess/2007-11-22.md"
    original = page.read_bytes()
    page.write_bytes(original.replace(b"novembre", b"decembre"))
    run = cli("--records", records, "build", "--no-search", "-o", site, "--verbose")
    assert run.stdout == f"wrote {page}\n"
    assert page.read_bytes() == original


def test_each_group_is_built_with_its_own_group(cli, tmp_path):
    for slug, objectives in (("alpha", "Objectifs alpha."), ("beta", "Objectifs beta.")):
        make_group(tmp_path / "records", slug,
                   group=f'name = "{slug}"\nobjectives = "{objectives}"\n',
                   **{"2026-01-15": 'date = 2026-01-15\nvenue = "Salle"\n'})
    site = tmp_path / "site"
    assert cli("--records", tmp_path / "records", "build", "--no-search", "-o", site).exit_code == 0
    assert "Objectifs alpha." in (site / "alpha/2026-01-15.md").read_text()
    assert "Objectifs beta." in (site / "beta/2026-01-15.md").read_text()


def test_an_invitation_rewrites_the_feed(cli, tmp_path, monkeypatch):
    import shutil

    from conftest import DATA

    shutil.copytree(DATA / "calendar" / "club", tmp_path / "records" / "club")
    records, site = tmp_path / "records", tmp_path / "site"
    monkeypatch.setenv("RENCONTRES_NOW", "2026-01-05T09:00:00Z")
    assert cli("--records", records, "build", "--no-search", "-o", site).exit_code == 0
    feed = (site / "club/calendar.ics").read_bytes()
    assert cli("--records", records, "invite", "club/2026-01-15").exit_code == 0
    run = cli("--records", records, "build", "--no-search", "-o", site, "-v")
    assert run.stdout == f"wrote {site}/club/calendar.ics\n"
    assert (site / "club/calendar.ics").read_bytes() != feed


def test_unwritable_outputs_are_one_line_errors(cli, records, tmp_path):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    run = cli("--records", records, "render", "ramsess/2007-11-22", "-o", folder)
    assert run.exit_code == 2 and run.stderr == f"error: {folder}: is a folder; give a file name\n"
    a_file = tmp_path / "a-file"
    a_file.write_text("mine")
    run = cli("--records", records, "build", "--no-search", "-o", a_file)
    assert run.exit_code == 2 and run.stderr.count("\n") == 1
    assert "cannot create the folder" in run.stderr and a_file.read_text() == "mine"
    site = tmp_path / "site"
    site.mkdir()
    (site / "ramsess").write_text("in the way")
    run = cli("--records", records, "build", "--no-search", "-o", site)
    assert run.exit_code == 2 and f"{site}/ramsess: cannot create the folder" in run.stderr


def test_build_says_one_line_lists_with_verbose_and_is_silent_with_quiet(cli, records,
                                                                         tmp_path):
    site = tmp_path / "site"
    run = cli("--records", records, "build", "--no-search", "-o", site)
    assert run.exit_code == 0 and run.stdout == ""
    # 13 syntheses × 3, index and keywords × 3, 3 keyword pages, 3 registers, the feed,
    # meetings.json, the plan
    assert run.stderr == f"{site}: 54 written, 0 unchanged\n"
    (site / "ramsess" / "index.md").write_text("changed by hand")
    quiet = cli("--records", records, "build", "--no-search", "-o", site, "-q")
    assert quiet.exit_code == 0 and quiet.stdout == quiet.stderr == ""
    assert (site / "ramsess" / "index.md").read_text() != "changed by hand"
    both = cli("--records", records, "build", "--no-search", "-o", site, "-q", "-v")
    assert both.exit_code == 2 and "contradict" in both.stderr


# -- groups unchanged since the last build are not even read --------------------------------

def _reads(monkeypatch) -> list[str]:
    """The groups each build reads, in order."""
    from rencontres.records.archive import Archive

    read: list[str] = []
    real = Archive._load_group

    def counted(self, slug):
        read.append(slug)
        return real(self, slug)

    monkeypatch.setattr(Archive, "_load_group", counted)
    return read


def test_a_build_reads_only_the_groups_that_changed(cli, records, tmp_path, monkeypatch):
    import time

    from rencontres.records import cache

    monkeypatch.setattr(cache, "MARGIN_NS", 300_000_000)  # trust files older than 0.3 s
    make_group(records, "atelier", group='name = "Atelier"\n',
               **{"2026-01-15": 'date = 2026-01-15\n\n[[topics]]\ntitle = "Local"\n'})
    site = tmp_path / "site"
    time.sleep(0.35)
    read = _reads(monkeypatch)
    assert cli("--records", records, "build", "--no-search", "-o", site).exit_code == 0
    assert read == ["atelier", "ramsess"]  # no stamps yet: every group
    before = snapshot(site)

    def build() -> str:
        read.clear()
        run = cli("--records", records, "build", "--no-search", "-o", site)
        assert run.exit_code == 0, run.stderr
        return run.stderr

    assert "nothing to write" in build() and read == []
    assert snapshot(site) == before

    record = records / "ramsess" / "2007-11-22.toml"
    os.utime(record)  # touched, not changed: its group is read, nothing is written
    time.sleep(0.35)
    assert "nothing to write" in build() and read == ["ramsess"]
    assert "nothing to write" in build() and read == []

    # the same size, the modification time put back: the change time tells
    st = record.stat()
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("Energie Alternative", "Energie Alternativo", 1),
                      encoding="utf-8")
    os.utime(record, ns=(st.st_atime_ns, st.st_mtime_ns))
    time.sleep(0.35)
    said = build()
    assert read == ["ramsess"] and "written" in said
    assert "Energie Alternativo" in (site / "ramsess/2007-11-22.md").read_text(encoding="utf-8")
    _manifest_is_true(site)  # atelier's lines carried over, ramsess's written anew

    # a site file deleted or edited by hand is made again, only its group read
    (site / "atelier/2026-01-15.html").unlink()
    (site / "ramsess/index.md").write_text("edited by hand\n", encoding="utf-8")
    said = build()
    assert sorted(read) == ["atelier", "ramsess"] and "2 written" in said
    assert (site / "atelier/2026-01-15.html").is_file()
    assert (site / "ramsess/index.md").read_text(encoding="utf-8") != "edited by hand\n"

    # an error in an unchanged group's new record: read, refused, nothing written
    build()
    (records / "atelier" / "2026-02-01.toml").write_text("date = 2026-13-01\n", encoding="utf-8")
    before = snapshot(site)
    read.clear()
    run = cli("--records", records, "build", "--no-search", "-o", site)
    assert run.exit_code == 1 and read == ["atelier"]
    assert snapshot(site) == before


def _manifest_is_true(site) -> None:
    """The manifest names every file of the site once, in order, with its size and time."""
    lines = (site / ".rencontres-build").read_text(encoding="utf-8").splitlines()
    files = [line.split("\t") for line in lines if not line.startswith("//stamp\t")]
    assert [f[0] for f in files] == sorted(f[0] for f in files)
    on_disk = {p.relative_to(site).as_posix() for p in site.rglob("*")
               if p.is_file() and p.name != ".rencontres-build"}
    assert {f[0] for f in files} == on_disk and len(files) == len(on_disk)
    for rel, key, size, mtime in files:
        st = (site / rel).stat()
        assert key and (int(size), int(mtime)) == (st.st_size, st.st_mtime_ns), rel


def test_records_written_just_now_are_always_read(cli, records, tmp_path, monkeypatch):
    """With the default margin, a group whose files are fresh has no stamp: read each time."""
    site = tmp_path / "site"
    read = _reads(monkeypatch)
    for _ in range(2):
        read.clear()
        assert cli("--records", records, "build", "--no-search", "-o", site).exit_code == 0
        assert read == ["ramsess"]
    assert "//stamp" not in (site / ".rencontres-build").read_text(encoding="utf-8")


def test_a_build_in_several_processes_writes_the_same_bytes(cli, tmp_path, monkeypatch):
    """Enough records for the build to start workers (`build.PARALLEL_MIN`): the site and
    its manifest are the same, byte for byte, made in one process or three."""
    from rencontres.site import build

    root = tmp_path / "records"
    for g, count in (("alpha", 70), ("beta", 45), ("gamma", 3)):
        days = [f"2020-{1 + i // 28:02d}-{1 + i % 28:02d}" for i in range(count)]
        make_group(root, g, group=f'name = "Groupe {g}"\nkeywords = ["k{g}"]\n', **{
            day: (f'date = {day}T18:00:00\n\n[[participants]]\nname = "Ana {i}"\n\n'
                  f'[[topics]]\ntitle = "Point {i} – *{g}*"\nbody = """\nDu texte, '
                  f'[un lien](https://example.org/{i}) et une liste :\n\n- un\n- deux\n"""\n')
            for i, day in enumerate(days)})
    sites, manifests = {}, {}
    for jobs in ("1", "3"):
        site = tmp_path / f"site-{jobs}"
        run = cli("--records", root, "build", "--no-search", "-o", site, "--jobs", jobs)
        assert run.exit_code == 0, run.stderr
        manifest = (site / build.MANIFEST).read_text(encoding="utf-8").splitlines()
        (site / build.MANIFEST).unlink()
        sites[jobs] = snapshot(site)
        manifests[jobs] = [line.split("\t")[:3] for line in manifest]  # mtimes differ
    assert len(sites["1"]) >= build.PARALLEL_MIN
    assert sites["1"] == sites["3"]
    assert manifests["1"] == manifests["3"]

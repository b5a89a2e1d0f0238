"""The parse cache: it serves what it holds only while the file is the one it parsed.

Edits of the same size, with the modification time put back, within the same second;
a damaged or foreign cache; a cache asked to live among the records; and the problems
(errors and warnings, their lines and their paths) the same with and without it."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from rencontres.records import cache
from rencontres.records.archive import Archive
from rencontres.records.store import Store

AGED = 0.3  # seconds: files older than this are cached in these tests (2 s by default)


@pytest.fixture
def aged(monkeypatch):
    """Make the cache trust files older than AGED, and age the given files that much."""
    monkeypatch.setattr(cache, "MARGIN_NS", int(AGED * 1e9))

    def age() -> None:
        time.sleep(AGED + 0.05)

    return age


def load(records: Path) -> Archive:
    return Archive.load(Store(records))


def orgs(archive: Archive) -> set[str]:
    meeting = next(m for m in archive.meetings["ramsess"] if m.stem == "2007-11-22")
    return {p.person.organization for p in meeting.participants}


def same_size_edit(path: Path, old: str, new: str) -> None:
    """Change the text, keep the size, and put the modification time back as it was."""
    assert len(old.encode()) == len(new.encode())
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (st.st_size, st.st_mtime_ns)


def test_a_warm_cache_parses_nothing_and_gives_the_same_archive(records, aged, parse_cache):
    aged()
    first = load(records)
    assert first.files_parsed == first.files_read == 14  # group.toml and 13 records
    assert list(parse_cache.glob("*.pickle"))
    second = load(records)
    assert second.files_parsed == 0 and second.files_read == 14
    assert second.meetings == first.meetings and second.groups == first.groups
    assert second.problems == first.problems


def test_a_same_size_edit_within_the_second_is_seen(records, aged):
    path = records / "ramsess" / "2007-11-22.toml"
    aged()
    load(records)  # cached
    same_size_edit(path, "Energie Alternative", "Energie Alternativo")
    archive = load(records)
    assert archive.files_parsed == 1  # that file only: its change time moved
    assert "Energie Alternativo" in orgs(archive)


def test_a_file_written_just_now_is_never_cached(records):
    """Default margin: a second write in the same clock tick could keep every part of the
    key, so a fresh file is parsed every time."""
    path = records / "ramsess" / "2007-11-22.toml"
    load(records)
    same_size_edit(path, "Energie Alternative", "Energie Alternativo")
    assert "Energie Alternativo" in orgs(load(records))
    assert load(records).files_parsed == 14


def test_a_damaged_or_foreign_cache_is_ignored_and_replaced(records, aged, parse_cache):
    aged()
    want = load(records)
    for garbage in (b"", b"\x80\x05not a pickle", b"\x80\x04K\x01.", os.urandom(4096)):
        for f in parse_cache.glob("*.pickle"):
            f.write_bytes(garbage)
        got = load(records)
        assert got.files_parsed == 14 and got.meetings == want.meetings
        assert got.problems == want.problems
        assert load(records).files_parsed == 0  # replaced by a good one
    (parse_cache / "junk.tmp").write_bytes(b"x")
    for f in parse_cache.iterdir():
        f.unlink()  # deleted at any time
    assert load(records).meetings == want.meetings


def test_another_version_of_the_parser_does_not_read_the_cache(records, aged, monkeypatch):
    aged()
    load(records)
    monkeypatch.setattr(cache, "_code_key", ("another version",))
    assert load(records).files_parsed == 14


def test_the_cache_never_lives_among_the_records(records, aged, monkeypatch):
    aged()
    for inside in (records, records / "ramsess", records / "cache"):
        monkeypatch.setenv("RENCONTRES_CACHE", str(inside))
        before = sorted(records.rglob("*"))
        assert load(records).files_parsed == 14
        assert sorted(records.rglob("*")) == before
    monkeypatch.setenv("RENCONTRES_CACHE", "off")
    assert load(records).files_parsed == 14


def test_an_unwritable_cache_folder_is_no_error(records, aged, monkeypatch, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("RENCONTRES_CACHE", str(blocked / "cache"))
    aged()
    assert load(records).files_parsed == 14


def test_problems_come_out_the_same_with_and_without_the_cache(cli, records, aged, monkeypatch):
    group = records / "ramsess"
    text = (group / "2007-11-22.toml").read_text(encoding="utf-8")
    # a warning found after parsing (an owner nobody knows: its line needs the text), an
    # error of syntax, an unknown key, and a number out of date order (a group warning)
    (group / "2009-03-01.toml").write_text(
        text.replace('date = 2007-11-22  #', 'date = 2009-03-01  #')
        .replace("owner = \"Sandrine Delrieu\"", "owner = \"Personne Inconnue\"", 1)
        + "\nvenu = 1\n", encoding="utf-8")
    (group / "2009-04-01.toml").write_text("date = 2009-04-01\ntitle = \n", encoding="utf-8")
    (group / "2009-05-01.toml").write_text("date = 2009-05-01\nnumber = 2\n", encoding="utf-8")
    aged()
    monkeypatch.setenv("RENCONTRES_CACHE", "off")
    want = cli("--records", records, "check")
    monkeypatch.undo()
    monkeypatch.setattr(cache, "MARGIN_NS", int(AGED * 1e9))
    filling = cli("--records", records, "check")
    warm = cli("--records", records, "check")
    assert want.exit_code == filling.exit_code == warm.exit_code == 1
    for said in ("2009-03-01.toml:", "Personne Inconnue", "'venu'", "2009-04-01.toml:2: error",
                 "2009-05-01.toml:2: warning: number = 2"):
        assert said in want.stdout, said
    assert want.stdout == filling.stdout == warm.stdout
    assert want.stderr == filling.stderr == warm.stderr
    # paths as given this time, not as when the cache was filled
    monkeypatch.chdir(group)
    here = cli("check")
    assert here.stdout == want.stdout.replace(f"{records}/ramsess/", "")


# -- one record loaded with its group as outlines -------------------------------------------

def outputs_of(archive: Archive, meeting) -> dict[str, object]:
    """Everything a one-record command makes of `meeting` from its archive."""
    import datetime as dt

    from rencontres import followup
    from rencontres.invite import ics as calendar
    from rencontres.render import Context, render
    from rencontres.render.pages import agenda_document, index_blocks, page_text

    group = archive.group_of(meeting)
    ctx = Context(meeting, group, archive.number(meeting))
    made: dict[str, object] = {"number": archive.number(meeting), "title": archive.title(meeting)}
    for fmt in ("markdown", "spip", "html"):
        made[fmt] = render(ctx, fmt, appendix=index_blocks(archive, meeting.group, "fr", fmt,
                                                           exclude=meeting))
    if meeting.next is not None:
        meetings = archive.meetings[meeting.group]
        agenda = followup.agenda(group, meetings, archive.number, meeting)
        made["agenda"] = page_text(agenda_document(agenda, group, group.language), "markdown")
        if group.organizer is not None:
            made["invite"] = calendar.prepare(
                group, meetings, archive.number, meeting, {}, cancel=False,
                now=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC), new_uid=lambda: "uid-1").ics
    return made


@pytest.mark.parametrize("warm", [False, True])
def test_one_record_with_outlines_makes_what_the_whole_group_makes(records, aged, warm):
    """The shipped group (numbers derived, stubs, two meetings one day) and a group with
    follow-ups, votes and an agenda: every output of every record is the same."""
    from conftest import make_group
    from test_followup import FIRST, GROUP, SECOND

    make_group(records, "atelier", group=GROUP, **{"2026-01-15": FIRST, "2026-02-05": SECOND})
    if warm:
        aged()
    store = Store(records)
    for slug in ("ramsess", "atelier"):
        whole = Archive.load(store, slug)
        for meeting in whole.meetings[slug]:
            focused = Archive.load(store, slug, focus=meeting.stem)
            if warm:
                focused = Archive.load(store, slug, focus=meeting.stem)
                assert focused.files_parsed == 1  # the record itself; the rest: outlines
            assert focused.meeting_at(whole.path(meeting)) == meeting
            assert outputs_of(focused, meeting) == outputs_of(whole, meeting), meeting.key


def test_outlines_keep_the_errors_that_refuse_a_record(cli, records):
    group = records / "ramsess"
    (group / "2009-03-01.toml").write_text(
        'date = 2009-03-01\n\n[[topics]]\ntitle = "Suivi"\n[[topics.actions]]\n'
        'task = "x"\nfollows = "2007-11-22#9"\n', encoding="utf-8")
    (group / "2009-04-01.toml").write_text("date = 2009-04-01\nvenue = [\n", encoding="utf-8")
    run = cli("--records", records, "render", "ramsess/2009-03-01")
    assert run.exit_code == 1 and "2009-03-01.toml:" in run.stderr and "follows" in run.stderr
    # a broken record elsewhere in the group is not this record's problem, nor counted
    run = cli("--records", records, "render", "ramsess/2009-02-17")
    assert run.exit_code == 0, run.stderr
    (group / "group.toml").write_text("name = 3\n", encoding="utf-8")  # the group's: refused
    assert cli("--records", records, "render", "ramsess/2009-02-17").exit_code == 1


def test_a_record_s_follow_up_errors_are_found_alone_as_in_the_whole_group(tmp_path):
    from conftest import make_group
    from rencontres import followup

    def record(day: str, *follows: str) -> str:
        actions = "".join(f'\n[[topics.actions]]\ntask = "t{i}"\n' + (f'follows = "{f}"\n' if f else "")
                          for i, f in enumerate(follows))
        return f'date = {day}\n\n[[topics]]\ntitle = "Suivi"\n{actions}'

    root = tmp_path / "records"
    make_group(root, "g", group='name = "G"\n', **{
        "2026-01-01": record("2026-01-01", "", "", ""),
        "2026-02-01": record("2026-02-01", "2026-01-01#1", "2026-01-01#3", "2026-01-01#4",
                             "2026-02-01#1", "2026-02-01#6", "2026-03-01#1", "2025-01-01#1",
                             "2026-01-01#0", "2026-01-01#1"),
        "2026-03-01": record("2026-03-01", "2026-02-01#2", "2026-01-01#2"),
    })
    archive = Archive.load(Store(root), "g")
    meetings = archive.meetings["g"]
    paths = {m.stem: str(archive.path(m)) for m in meetings}
    whole = [p for p in followup.follow_problems(meetings, paths) if p.severity == "error"]
    assert len(whole) == 5  # #4; its own #6 (later); a later record; no record; #0
    order = [(m.stem, len(m.actions)) for m in meetings]
    for m in meetings:
        alone = followup.follow_errors_of(order, m, paths[m.stem])
        assert alone == [p for p in whole if p.path == paths[m.stem]], m.stem
        assert [p.key for p in alone] == [p.key for p in whole if p.path == paths[m.stem]]


def test_a_cache_file_of_another_group_folder_is_never_served(records, aged, parse_cache,
                                                                tmp_path):
    """Cache files are named by a short checksum of the folder's path; should two folders'
    names collide, each file says whose it is, and the other folder's is not served."""
    aged()
    load(records)  # ramsess's records parsed and cached
    twin = tmp_path / "twin"
    twin.mkdir()
    (twin / "ramsess").mkdir()
    ours = cache.GroupCache(records / "ramsess", records).path
    theirs = cache.GroupCache(twin / "ramsess", twin).path
    assert ours != theirs
    theirs.write_bytes(ours.read_bytes())  # as if the two names collided
    assert cache.GroupCache(twin / "ramsess", twin).entries == {}
    assert cache.GroupCache(records / "ramsess", records).entries  # its own is served


def test_the_agenda_from_outlines_reads_only_the_records_it_shows(tmp_path, aged):
    """An agenda lists the actions still open: from outlines, only the records where those
    actions began or were last written are unpickled, whatever the group's size, and the
    agenda is the one the whole group gives."""
    from conftest import make_group
    from rencontres import followup

    def record(day: str, action: str) -> str:
        return (f'date = {day}\n\n[[topics]]\ntitle = "Suivi"\n[[topics.actions]]\n{action}\n'
                '\n[next]\ndate = 2027-01-01T18:00:00\n')

    days = [f"2026-{m:02d}-{d:02d}" for m in range(1, 13) for d in (3, 17)]
    files = {day: record(day, 'task = "Fait"\ndone = true') for day in days}
    files[days[3]] = record(days[3], 'task = "Le devis"\nowner = "Zoë"')  # open, then followed
    files[days[9]] = record(days[9], f'task = "Le devis, relancé"\nowner = "Zoë"\nfollows = "{days[3]}#1"')
    files[days[15]] = record(days[15], 'task = "Abandonné"\ndropped = true')
    root = tmp_path / "records"
    make_group(root, "g", group='name = "G"\n', **files)
    aged()
    store = Store(root)
    whole = Archive.load(store, "g")
    last = whole.meetings["g"][-1]
    expected = followup.agenda(whole.groups["g"], whole.meetings["g"], whole.number, last)
    Archive.load(store, "g", focus=last.stem)  # the outlines cached
    focused = Archive.load(store, "g", focus=last.stem)
    outlines = focused.meetings["g"]
    agenda = followup.agenda(focused.groups["g"], outlines, focused.number,
                             focused.meeting_at(store.meeting_path("g", last.stem)))
    assert agenda == expected
    assert [(o, [(t.ref, t.origin.stem, t.action.task) for t in ts]) for o, ts in agenda.actions] \
        == [("Zoë", [(f"{days[9]}#1", days[3], "Le devis, relancé")])]
    assert agenda.number == len(days) + 1
    read = [outlines._items[i].stem for i in range(len(outlines))
            if not isinstance(outlines._items[i], tuple)]
    assert read == [days[3], days[9], last.stem]  # the chain's two records, and the focus


def test_ranks_kept_for_a_group_are_dropped_when_any_record_changes(tmp_path, aged):
    """A record's rank, read from outlines, is remembered with every record's key: an
    earlier record turned into an article (same size, its time put back) renumbers it."""
    from conftest import make_group

    root = tmp_path / "records"
    make_group(root, "g", group='name = "G"\n', **{
        "2026-01-10": 'date = 2026-01-10\nkind = "meeting"\n',
        "2026-02-10": 'date = 2026-02-10\nkind = "meeting"\n',
        "2026-03-10": "date = 2026-03-10\n"})
    aged()
    store = Store(root)

    def rank() -> tuple[int | None, int]:
        archive = Archive.load(store, "g", focus="2026-03-10")
        meeting = archive.meeting_at(store.meeting_path("g", "2026-03-10"))
        return archive.number(meeting), archive.files_parsed

    assert rank() == (3, 4)  # the group file and outlines made and cached
    assert rank() == (3, 1)  # only the record itself read: the others as cached
    assert rank() == (3, 1)  # and the ranks as remembered
    same_size_edit(root / "g" / "2026-02-10.toml", 'kind = "meeting"', 'kind = "article"')
    assert rank()[0] == 2
    aged()
    assert rank() == (2, 2) and rank() == (2, 1)


# -- the cache's own safety, and the one key of this code -------------------------------------

@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_cache_folder_is_its_user_s_alone(records, aged, monkeypatch, tmp_path):
    where = tmp_path / "made" / "rencontres"
    monkeypatch.setenv("RENCONTRES_CACHE", str(where))
    aged()
    load(records)
    assert where.stat().st_mode & 0o777 == 0o700
    files = list(where.glob("*.pickle"))
    assert files and all(f.stat().st_mode & 0o777 == 0o600 for f in files)


def test_a_cache_file_another_user_owns_is_ignored_and_replaced(records, aged, parse_cache,
                                                                 monkeypatch):
    aged()
    load(records)
    assert load(records).files_parsed == 0
    if hasattr(os, "getuid"):
        uid = os.getuid()
        monkeypatch.setattr(os, "getuid", lambda: uid + 1)  # as if another user owned it
    else:
        monkeypatch.setattr(cache, "owned", lambda st: False)
    assert load(records).files_parsed == 14
    monkeypatch.undo()
    monkeypatch.setenv("RENCONTRES_CACHE", str(parse_cache))
    monkeypatch.setattr(cache, "MARGIN_NS", int(AGED * 1e9))
    assert load(records).files_parsed == 0  # replaced by one of our own


def test_the_code_key_covers_every_module_of_the_package():
    package = Path(cache.__file__).parent.parent
    modules = {p.relative_to(package).as_posix() for p in package.rglob("*")
               if p.suffix in (".py", ".mo")}
    assert {name for name, *_ in cache.modules_key()} == modules
    assert cache.code_key()[-1] == cache.modules_key()


def test_the_code_key_changes_with_any_module(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.py").write_text("x = 1\n")
    before = cache.modules_key(tmp_path)
    (tmp_path / "sub" / "b.py").write_text("y = 2\n")  # a new module, below
    added = cache.modules_key(tmp_path)
    assert added != before
    st = (tmp_path / "a.py").stat()
    (tmp_path / "a.py").write_text("x = 2\n")  # same size, the time put back a second
    os.utime(tmp_path / "a.py", ns=(st.st_atime_ns, st.st_mtime_ns - 1_000_000_000))
    assert cache.modules_key(tmp_path) != added
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "c.py").write_text("")  # not a module of the package
    assert "__pycache__/c.py" not in {name for name, *_ in cache.modules_key(tmp_path)}


def test_the_code_key_changes_with_tomli_and_the_zone_database(monkeypatch, tmp_path):
    import sys
    import types
    import zoneinfo

    import tomli

    from rencontres.site import build

    def key() -> tuple:
        monkeypatch.setattr(cache, "_code_key", None)
        return cache.code_key(), cache.code_digest(), build._code_digest()

    first = key()
    assert first[1] == first[2]  # one key: the site's build keys its outputs with it
    monkeypatch.setattr(tomli, "__version__", "99.0.0", raising=False)
    with_tomli = key()
    assert with_tomli[0] != first[0] and with_tomli[1] != first[1]

    zones = tmp_path / "zoneinfo"
    zones.mkdir()
    monkeypatch.setattr(zoneinfo, "TZPATH", (str(zones),))
    (zones / "tzdata.zi").write_text("# version 2099a\n# ddeps\n")
    a = key()
    (zones / "tzdata.zi").write_text("# version 2099b\n# ddeps\n")
    b = key()
    (zones / "tzdata.zi").unlink()
    (zones / "+VERSION").write_text("2099c\n")
    c = key()
    assert len({a[1], b[1], c[1]}) == 3
    monkeypatch.setitem(sys.modules, "tzdata",
                        types.SimpleNamespace(IANA_VERSION="2099z", __version__="2099.26"))
    assert key()[1] != c[1]  # the package zoneinfo falls back on


def test_cached_problems_are_said_in_the_language_of_the_run(cli, records, aged, monkeypatch,
                                                             parse_cache):
    """The cache keeps problems as worded: a French run after an English one reads its own
    file, and says what it says with the cache off; the English file is left as it was."""
    from rencontres.core import i18n

    group = records / "ramsess"
    (group / "2009-04-01.toml").write_text("date = 2009-04-01\ntitle = \n", encoding="utf-8")
    aged()
    english = cli("--records", records, "check")
    cached = sorted(p.name for p in parse_cache.iterdir())
    stamps = {p.name: p.stat().st_mtime_ns for p in parse_cache.iterdir()}
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    i18n.reset()
    french = cli("--records", records, "check")
    again = cli("--records", records, "check")
    monkeypatch.setenv("RENCONTRES_CACHE", "off")
    uncached = cli("--records", records, "check")
    assert english.exit_code == french.exit_code == 1
    assert french.stdout == again.stdout == uncached.stdout != english.stdout
    assert "2009-04-01.toml:2:" in french.stdout
    now = {p.name: p.stat().st_mtime_ns for p in parse_cache.iterdir()}
    assert {name: now[name] for name in cached} == stamps  # English files untouched
    assert any(name.endswith(".fr.pickle") for name in now)

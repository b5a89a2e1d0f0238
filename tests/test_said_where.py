"""Issue 27: warnings on stderr with paths as typed; files `check` does not read named with
where they go; a record named by a date as `new` reads dates, and never picked among two;
`send --dry-run DIR` makes DIR; `init` writes an [organizer] to fill in; the editor's
failure in one line."""

from __future__ import annotations

import pytest

from conftest import make_group

GOOD = """date = 2009-03-24T14:00:00
title = "Réunion"

[[participants]]
name = "Ann Member"
email = "ann@example.org"

[[topics]]
title = "Budget"

[[topics.actions]]
owner = "Zoé Inconnue"
task = "Envoyer le budget"
"""
WARNING = "action owner 'Zoé Inconnue' is neither a participant nor a member"


@pytest.fixture
def here(tmp_path, monkeypatch):
    """A records folder with one group and one record with a warning, as the current
    folder's records/."""
    make_group(tmp_path / "records", **{"2009-03-24": GOOD})
    monkeypatch.chdir(tmp_path)
    return tmp_path / "records"


@pytest.mark.parametrize("args", [["show", "g/2009-03-24"], ["render", "g/2009-03-24"],
                                  ["render", "g/2009-03-24", "--format", "spip"]])
def test_a_records_warnings_go_to_stderr_with_the_path_as_typed(cli, here, args):
    run = cli(*args)
    assert run.exit_code == 0, run.stderr
    assert WARNING not in run.stdout and "warning" not in run.stdout
    assert run.stderr.startswith(f"records/g/2009-03-24.toml:12: warning: {WARNING}")
    assert str(here) not in run.stderr  # not /tmp/…/records/g/…

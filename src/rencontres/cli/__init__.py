"""The command line: the only package that imports typer or rich, prints, prompts or exits.

`app.py` builds each run's app and holds the one error voice; `common.py` what every command
shares (loaders, the clock, output); `prompts.py` the question loop of `new`, `inputs.py`
people's input worded with its flag. Commands live by family in `records.py` (check, list,
show), `entry.py` (new, edit), `groups.py` (init), `outputs.py` (render, index, keywords, build),
`followup.py` (actions, agenda, decisions, attendance), `importing.py` (import),
`invitations.py` (invite, calendar, send) and `replies.py` (replies, rsvp); each imports what
it needs inside its functions.
This file only re-exports.
"""

from rencontres.cli.app import COMMANDS, EXAMPLES, app, build, main, run
from rencontres.cli.common import (
    GroupArgument,
    Lang,
    LangOption,
    OutputOption,
    RecordsOption,
    as_typed,
    check_output,
    commands,
    complete_groups,
    complete_records,
    console,
    emit,
    group_language,
    load_archive,
    load_group_archive,
    load_record,
    now,
    only_group,
    open_store,
    open_store_for,
    print_table,
    say_warnings,
    settings,
    with_source,
    write_output,
)

__all__ = ["COMMANDS", "EXAMPLES", "GroupArgument", "Lang", "LangOption", "OutputOption",
           "RecordsOption", "app", "as_typed", "build", "check_output", "commands",
           "complete_groups", "complete_records", "console", "emit", "group_language",
           "load_archive", "load_group_archive", "load_record", "main", "now", "only_group",
           "open_store", "open_store_for", "print_table", "run", "say_warnings", "settings",
           "with_source", "write_output"]

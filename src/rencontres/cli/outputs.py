"""render, index, keywords, build: text made from the records."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from rencontres.cli import app, load_record, write_output


class Format(StrEnum):
    markdown = "markdown"
    spip = "spip"
    html = "html"


class Lang(StrEnum):
    fr = "fr"
    en = "en"


@app.command()
def render(
    record: Annotated[str, typer.Argument(
        help="The meeting: a path, GROUP/YYYY-MM-DD, or a date.", show_default=False)],
    fmt: Annotated[Format, typer.Option(
        "--format", "-f", help="markdown (CommonMark), spip (SPIP markup) or html (a page).",
    )] = Format.markdown,
    lang: Annotated[Lang | None, typer.Option(
        "--lang", help="Language of the generated words (default: the group's).",
        show_default=False)] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to FILE (atomically) instead of stdout.",
        show_default=False)] = None,
    text_only: Annotated[bool, typer.Option(
        "--text-only", help="spip: only the Texte field, ready to paste.")] = False,
) -> None:
    """The synthesis of a meeting, as Markdown, SPIP markup or an HTML page."""
    from rencontres.errors import UsageError
    from rencontres.render import Context
    from rencontres.render import render as render_text

    if text_only and fmt is not Format.spip:
        raise UsageError("--text-only goes with --format spip",
                         "the Texte field is SPIP's; Markdown and HTML are one page")
    archive, meeting = load_record(record)
    ctx = Context(meeting, archive.group_of(meeting), archive.number(meeting),
                  lang.value if lang else "")
    write_output(render_text(ctx, fmt.value, text_only=text_only), output)

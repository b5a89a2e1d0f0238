"""serve: the site built, served on 127.0.0.1, built again when a record is saved."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rencontres.cli.common import as_typed, commands, open_store
from rencontres.cli.outputs import BaseUrlOption, SearchOption, make_site, say_built
from rencontres.core.i18n import _


@commands.command()
def serve(
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar=_("DIR"),
        help=_("The site folder (default: site/ beside the records folder)."),
        show_default=False)] = None,
    port: Annotated[int, typer.Option(
        "--port", "-p", min=0, max=65535, metavar="N",
        help=_("The port on 127.0.0.1 (0: any free one)."))] = 8000,
    search: SearchOption = None,
    base_url: BaseUrlOption = None,
    interval: Annotated[float, typer.Option(
        "--interval", min=0.1, metavar=_("SECONDS"),
        help=_("How often the records are looked at for saved changes."))] = 0.5,
) -> None:
    """Build the site, serve it on this machine (so that its search works), and build
    again what changed each time a record is saved. Ctrl-C stops."""
    from rencontres.core.errors import RencontresError, UsageError, reason
    from rencontres.site.serve import Server, changes

    store = open_store()
    out = output or store.root.parent / "site"
    say_built(make_site(store, out, search, base_url, None))
    try:
        server = Server(out, port).start()
    except OSError as e:
        raise UsageError(_("--port {port}: cannot serve on 127.0.0.1:{port} ({why})").format(
            port=port, why=reason(e)),
            _("give another port, or --port 0 for any free one")) from None
    typer.echo(_("serving {folder} at {url} (Ctrl-C stops); watching {records}").format(
        folder=out, url=server.url, records=store.root), err=True)
    try:
        for _change in changes(store, interval):
            try:
                say_built(make_site(store, out, search, base_url, None, progress=False))
            except RencontresError as exc:  # the last good site stays served
                typer.echo(_("error: {message}").format(message=as_typed(str(exc))), err=True)
    except KeyboardInterrupt:
        typer.echo(_("stopped"), err=True)
    finally:
        server.stop()

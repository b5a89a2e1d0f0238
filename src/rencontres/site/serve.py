"""The built site served on this machine (127.0.0.1 only), as `hugo server` and `pelican
--listen` do, so that its search works; and the records watched, so that a saved record
is built again. Watching polls the files' sizes and times: the same on every system."""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# Types a server must give whatever the system's own table says (Windows' registry may
# call .js text/plain, which a browser refuses as a module).
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
         ".css": "text/css", ".json": "application/json", ".wasm": "application/wasm",
         ".ics": "text/calendar; charset=utf-8", ".md": "text/markdown; charset=utf-8",
         ".spip": "text/plain; charset=utf-8"}


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **TYPES}

    def send_head(self):
        """Always the file as it is now: a page built again within the second its last
        version was sent has the same Last-Modified, which would otherwise answer 304."""
        del self.headers["If-Modified-Since"]
        return super().send_head()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a preview: never a stale page
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002  (the base's name)
        """Requests are not logged: the command says what it builds, not what it serves."""


class Server:
    """The site folder served on 127.0.0.1 in a thread; `port` 0 takes a free one."""

    def __init__(self, folder: Path, port: int) -> None:
        handler = functools.partial(_Handler, directory=str(folder))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def start(self) -> Server:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def snapshot(store) -> dict[str, tuple[int, int]]:
    """Every file a build reads (each group's group.toml, records and state), by name, with
    its size and modification time."""
    found: dict[str, tuple[int, int]] = {}
    for slug in store.groups():
        try:
            entries = list(os.scandir(store.root / slug))
        except OSError:
            continue
        for e in entries:
            if e.name.endswith(".toml"):
                try:
                    st = e.stat()
                except OSError:
                    continue
                found[e.path] = (st.st_size, st.st_mtime_ns)
    return found


def changes(store, interval: float = 0.5, stop: threading.Event | None = None) -> Iterator[None]:
    """Yields each time a file of the records was saved, created or removed (polled every
    `interval` seconds; a burst of saves gives one change once it has settled)."""
    last = snapshot(store)
    while stop is None or not stop.is_set():
        time.sleep(interval)
        now = snapshot(store)
        if now == last:
            continue
        while True:  # let an editor finish writing
            time.sleep(interval)
            settled = snapshot(store)
            if settled == now:
                break
            now = settled
        last = now
        yield

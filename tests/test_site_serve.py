"""`rencontres serve`: the site on 127.0.0.1, built again when a record is saved (no browser
needed here; tests/test_site_browser.py searches it in Chromium)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

SHIPPED = Path(__file__).resolve().parent.parent / "records"


def _start(records: Path, site: Path, *extra: str):
    proc = subprocess.Popen(
        [sys.executable, "-m", "rencontres", "--records", str(records), "serve", "-o", str(site),
         "--no-search", "--interval", "0.2", *extra],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "NO_COLOR": "1"})
    said: list[str] = []
    url = ""
    while not url:
        line = proc.stderr.readline()
        if not line:
            break
        said.append(line)
        found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        url = found.group(1) if found else ""
    threading.Thread(target=lambda: said.extend(proc.stderr), daemon=True).start()
    return proc, url, said


def _get(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.status, r.headers.get("Content-Type", ""), r.read().decode("utf-8")


def test_serve_serves_the_site_and_builds_a_saved_record_again(tmp_path):
    records, site = tmp_path / "records", tmp_path / "site"
    shutil.copytree(SHIPPED, records)
    proc, url, said = _start(records, site, "--port", "0")
    try:
        assert url, "".join(said)
        assert url.startswith("http://127.0.0.1:")
        status, kind, text = _get(url + "ramsess/2007-11-22.html")
        assert status == 200 and kind.startswith("text/html")
        assert "Plusieurs questions devront" in text
        assert _get(url)[2] == (site / "index.html").read_text(encoding="utf-8")  # the plan
        path = records / "ramsess" / "2007-11-22.toml"
        path.write_text(path.read_text(encoding="utf-8").replace(
            "Plusieurs questions devront", "Plusieurs questions vont"), encoding="utf-8")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and "Plusieurs questions vont" not in \
                _get(url + "ramsess/2007-11-22.html")[2]:
            time.sleep(0.2)
        assert "Plusieurs questions vont" in _get(url + "ramsess/2007-11-22.html")[2]
        # a saved record with an error: said, and the last good site still served
        path.write_text("date = 2007-11-23\n", encoding="utf-8")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any("nothing written" in s for s in said):
            time.sleep(0.2)
        assert any("2007-11-22.toml:1: error" in s for s in said), "".join(said)
        assert any(s.startswith("error: 1 error in the records: nothing written") for s in said)
        assert "Plusieurs questions vont" in _get(url + "ramsess/2007-11-22.html")[2]
        assert proc.poll() is None
    finally:
        proc.terminate()
        proc.wait(10)


def test_a_port_in_use_is_one_line(tmp_path):
    records, site = tmp_path / "records", tmp_path / "site"
    shutil.copytree(SHIPPED, records)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "rencontres", "--records", str(records), "serve", "-o",
             str(site), "--no-search", "--port", str(port)], capture_output=True, text=True,
            stdin=subprocess.DEVNULL, timeout=60)
    assert done.returncode == 2
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith(f"error: --port {port}: cannot serve on 127.0.0.1:{port}")
    assert "Traceback" not in done.stderr

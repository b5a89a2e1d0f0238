"""One writer of a group's state at a time (issue 25): an OS lock on records/<group>/.state.lock,
held from reading the state to writing it; a holder that died frees it at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from rencontres.records.lock import Busy, state_lock

HOLD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from rencontres.records.lock import state_lock
    with state_lock(Path(sys.argv[1]), "send"):
        print("held", flush=True)
        time.sleep(float(sys.argv[2]))
""")

COUNT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from rencontres.records.lock import state_lock
    folder = Path(sys.argv[1]); counter = folder / "count.txt"
    for _ in range(int(sys.argv[2])):
        with state_lock(folder, "count", wait=60):
            n = int(counter.read_text()) if counter.exists() else 0
            tmp = folder / f"count.{sys.argv[3]}.tmp"
            tmp.write_text(str(n + 1))
            tmp.replace(counter)  # as state.toml is written: replaced by rename
""")


def _holder(folder: Path, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(folder), str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_writer_waits_then_names_the_holder(tmp_path):
    proc = _holder(tmp_path, 30)
    try:
        start = time.monotonic()
        with pytest.raises(Busy) as caught, state_lock(tmp_path, "invite", wait=0.5):
            pass
        assert time.monotonic() - start >= 0.5
        assert f"`rencontres send (process {proc.pid})` is changing" in caught.value.message
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="no SIGKILL on this system")
def test_a_holder_killed_frees_the_lock_at_once(tmp_path):
    proc = _holder(tmp_path, 60)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    start = time.monotonic()
    with state_lock(tmp_path, "invite", wait=5):
        pass
    assert time.monotonic() - start < 1


def test_two_processes_lose_no_update(tmp_path):
    procs = [subprocess.Popen([sys.executable, "-c", COUNT, str(tmp_path), "150", str(i)])
             for i in range(2)]
    for p in procs:
        assert p.wait(timeout=120) == 0
    assert (tmp_path / "count.txt").read_text() == "300"


def test_a_command_meets_a_held_group_in_one_line(cli, records, monkeypatch):
    from rencontres.records import lock

    monkeypatch.setattr(lock, "WAIT_S", 0.3)
    proc = _holder(records / "ramsess", 30)
    try:
        run = cli("--records", records, "invite", "ramsess/2009-02-17")
        assert run.exit_code == 4
        assert "`rencontres send (process" in run.stderr and "Traceback" not in run.stderr
        assert len(run.stderr.strip().splitlines()) == 1
    finally:
        proc.kill()
        proc.wait()

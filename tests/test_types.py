"""`mypy src/` is clean: the value classes are read as dataclasses (`dataclass_transform`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_finds_nothing_in_src():
    pytest.importorskip("mypy", reason="mypy is a test extra: pip install '.[test]'")
    if not (ROOT / "src" / "rencontres").is_dir():
        pytest.skip("not run from a source checkout")
    cache = ROOT / ".mypy_cache"
    done = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(cache), "src"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]

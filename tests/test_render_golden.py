"""The shipped 2007-11-22 synthesis, byte for byte, in each format.

After an intended change, regenerate the expected files and review the diff by eye:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_render_golden.py
"""

from __future__ import annotations

import os

import pytest

from render_support import SHIPPED, TESTS

GOLDEN = TESTS / "golden"
CASES = [("markdown", "md"), ("spip", "spip"), ("html", "html")]


@pytest.mark.parametrize(("fmt", "ext"), CASES)
def test_shipped_record_matches_golden(cli, fmt, ext):
    result = cli("--records", SHIPPED, "render", "ramsess/2007-11-22", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    golden = GOLDEN / f"ramsess-2007-11-22.{ext}"
    produced = result.stdout.encode("utf-8")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_bytes(produced)
    assert produced == golden.read_bytes(), f"rerun with UPDATE_GOLDEN=1 and review {golden}"

"""The shipped 2007-11-22 synthesis, byte for byte, in each format.

After an intended change, regenerate the expected files and review the diff by eye:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_render_golden.py
"""

from __future__ import annotations

import pytest

from render_support import SHIPPED, check_golden

CASES = [("markdown", "md"), ("spip", "spip"), ("html", "html")]


@pytest.mark.parametrize(("fmt", "ext"), CASES)
def test_shipped_record_matches_golden(cli, fmt, ext):
    result = cli("--records", SHIPPED, "render", "ramsess/2007-11-22", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    check_golden(f"ramsess-2007-11-22.{ext}", result.stdout.encode("utf-8"))

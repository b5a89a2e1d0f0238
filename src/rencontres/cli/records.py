"""new, check, list, show: the records themselves."""

from __future__ import annotations

"""render, index, keywords, build: text made from the records."""

from __future__ import annotations

"""Compiles the message catalogs (`src/rencontres/locale/*/LC_MESSAGES/*.po` → `.mo`) when
the package is built, wheel or editable: the `.mo` files are not in git (they are made from
the `.po`), and are listed in `[tool.hatch.build] artifacts` so that the wheel holds them."""

from __future__ import annotations

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogsHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted(Path(self.root, "src", "rencontres", "locale").glob(
                "*/LC_MESSAGES/*.po")):
            with po.open("rb") as f:
                catalog = read_po(f)
            with po.with_suffix(".mo").open("wb") as f:
                write_mo(f, catalog)

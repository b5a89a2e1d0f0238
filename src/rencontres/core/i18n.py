"""The tool's own voice in the user's language (gettext): help, prompts, errors, warnings,
summaries. The documents follow the group's language instead (`render/labels.py`).

The language is read as GNU gettext reads it: `LC_ALL`, else `LC_MESSAGES`, else `LANG`
chooses the locale; when that is C or POSIX (or nothing), the messages are English whatever
`LANGUAGE` says; otherwise `LANGUAGE` (a list, `fr:en`) comes first. The variables decide even
where the `fr_FR` locale is not generated. Catalogs: `locale/<lang>/LC_MESSAGES/rencontres.mo`,
compiled from the committed `.po` files when the package is built (`hatch_build.py`).
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "rencontres"
LOCALEDIR = Path(__file__).resolve().parent.parent / "locale"
_translation: gettext.NullTranslations | None = None


def languages(env: Mapping[str, str] | None = None) -> list[str]:
    """The languages to look for, best first ([] for English)."""
    env = os.environ if env is None else env
    locale = next((env[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(v)), "")
    if locale.split(".")[0].split("@")[0] in ("", "C", "POSIX"):
        return []
    return [lang for lang in env.get("LANGUAGE", "").split(":") if lang] + [locale]


def translation() -> gettext.NullTranslations:
    global _translation
    if _translation is None:
        langs = languages()
        _translation = gettext.translation(DOMAIN, LOCALEDIR, languages=langs, fallback=True) \
            if langs else gettext.NullTranslations()
    return _translation


def catalog_language() -> str:
    """The language of the messages in use ("" for English, the catalog's otherwise): what a
    cache of messages is kept by (`records/cache.py`)."""
    return translation().info().get("language", "")


def reset() -> None:
    """Read the environment again at the next message (a test that changes the locale)."""
    global _translation
    _translation = None


def _(message: str) -> str:
    return translation().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translation().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """A message marked for the catalog, translated where it is shown."""
    return message


def bind_framework() -> None:
    """The framework's own marked strings (typer's "Options", "Arguments", "[default: …]",
    read through gettext's default domain) from this catalog, in the same language: the
    domain bound to it, and `LANGUAGE` set to the languages chosen here (gettext's own
    lookup reads `LANGUAGE` first even under the C locale, which GNU gettext does not)."""
    gettext.bindtextdomain(DOMAIN, str(LOCALEDIR))
    gettext.textdomain(DOMAIN)
    langs = languages()
    if langs:
        os.environ["LANGUAGE"] = ":".join(langs)
    else:
        os.environ.pop("LANGUAGE", None)

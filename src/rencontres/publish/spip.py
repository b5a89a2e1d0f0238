"""SPIP's private area, driven as a browser does (measured on SPIP 4.3.5, as an administrator
and as a rédacteur): log in, find a rubrique, create or update an article, link its keywords,
propose or publish it, date it. Every form is loaded right before it is posted (its signature
holds the session and the site's `alea_ephemere`); a bad signature fails silently (HTTP 200,
the page again, nothing done), so each step is confirmed by what SPIP answers: the redirect,
the message, or the article read again.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from rencontres.core.errors import RencontresError
from rencontres.core.i18n import _
from rencontres.publish.forms import Form, form
from rencontres.publish.web import Http, SiteError

KNOWN = ("4.3.5",)  # the versions these forms were measured on
ARTICLE_FIELDS = ("surtitre", "titre", "chapo", "texte", "ps")
_ID = re.compile(r"[?&]id_article=(\d+)")
_VERSION = re.compile(r"SPIP\s+([0-9][0-9.]*)")


class LoginRefused(RencontresError):
    exit_code = 6


class NotAllowed(RencontresError):
    """The account may not do this (SPIP's 403, or a status refused)."""

    exit_code = 4


@dataclass(frozen=True)
class Rubrique:
    id: int
    level: int
    title: str


class Site:
    def __init__(self, http: Http) -> None:
        self.http = http
        self.version = ""  # as the site reports it ("" when it hides it)
        # fields sent that the site's article form does not show (Surtitre, Chapo, PS are
        # switched off in a default configuration: stored and shown, but not editable there)
        self.unshown: set[str] = set()

    # -- the session ----------------------------------------------------------------------
    def login(self, login: str, password: str) -> None:
        page = self.http.get("spip.php?page=login&url=ecrire%2F")
        self._learn_version(page)
        found = form(page.text, "login")
        if found is None:
            raise SiteError(_("{site}: no SPIP login form here ({which})").format(
                site=self.http.base, which=self._which()),
                _("check the site's address: its SPIP root, where spip.php is"))
        values = found.values() | {"var_login": login, "password": password}
        answer = self.http.post(found.action or "spip.php?page=login", values)
        if not self.http.cookie("spip_session"):
            raise LoginRefused(_("{site}: SPIP refused the login {login} (wrong login or "
                                 "password)").format(site=self.http.base, login=repr(login)),
                               _("check RENCONTRES_SPIP_LOGIN and the password "
                                 "(RENCONTRES_SPIP_PASSWORD, password_file or keyring)"))
        del answer

    def _learn_version(self, page) -> None:
        found = _VERSION.search(page.headers.get("composed-by", "")) or \
            re.search(r'<meta name="generator" content="SPIP\s+([0-9.]+)', page.text)
        if found:
            self.version = found[1]

    def _which(self) -> str:
        return _("it reports SPIP {version}").format(version=self.version) if self.version \
            else _("it does not say which SPIP it runs")

    def _form(self, path: str, name: str, having: str = "") -> Form:
        """A form of a private page, loaded now; its absence said in people's words."""
        page = self.http.get(path)
        if page.status == 403:
            raise NotAllowed(_("{site}: this account may not open {path}").format(
                site=self.http.base, path=path), _("it needs an administrator of the rubrique"))
        if page.status in (301, 302) and "page=login" in page.location:
            raise LoginRefused(_("{site}: the session ended").format(site=self.http.base),
                               _("run it again"))
        found = form(page.text, name, having)
        if found is None:
            if "exec=article_edit" in path and "Vous n" in page.text and "autoris" in page.text:
                raise NotAllowed(_("{site}: this account may no longer modify the article")
                                 .format(site=self.http.base),
                                 _("it needs an administrator of the rubrique"))
            known = "" if self.version in KNOWN else \
                " " + _("(known: SPIP {versions})").format(versions=", ".join(KNOWN))
            raise SiteError(_("{site}: the form '{form}' is not where SPIP {versions} has it: "
                              "{which}").format(site=self.http.base, form=name,
                                                versions=", ".join(KNOWN),
                                                which=self._which()) + known,
                            _("publish by hand (its SPIP text, as render prints it) until this "
                              "version is supported"))
        return found

    # -- rubriques ------------------------------------------------------------------------
    def rubriques(self) -> list[Rubrique]:
        """Every rubrique the account may put an article in, in the site's order: the
        choice of a new article's rubrique."""
        found = self._form("ecrire/?exec=article_edit&new=oui", "editer_article")
        out = []
        for option in found.options.get("id_parent", []):
            level = re.search(r"niveau_(\d+)", option.classes)
            if option.value.isdigit():
                out.append(Rubrique(int(option.value), int(level[1]) if level else 1,
                                    " ".join(option.text.split())))
        return out

    # -- articles -------------------------------------------------------------------------
    def create(self, rubrique: int, fields: dict[str, str]) -> int:
        """A new article in `rubrique`: its number, read from SPIP's redirect."""
        found = self._form(f"ecrire/?exec=article_edit&new=oui&id_rubrique={rubrique}",
                           "editer_article")
        self.unshown |= {k for k, v in fields.items() if v and not found.has(k)}
        answer = self.http.post(found.action, found.values() | fields | {
            "id_parent": str(rubrique)})
        number = _ID.search(answer.location) if answer.status in (301, 302, 303) else None
        if number is None:
            raise SiteError(_("{site}: SPIP did not create the article (no redirect to it; "
                              "{which})").format(site=self.http.base, which=self._which()),
                            _("publish by hand, or run it again"))
        return int(number[1])

    def read(self, article: int) -> dict[str, str]:
        """The article's fields as its edit form holds them (and its rubrique)."""
        found = self._form(f"ecrire/?exec=article_edit&id_article={article}", "editer_article")
        values = found.values()
        return {k: values.get(k, "") for k in (*ARTICLE_FIELDS, "id_parent")}

    def update(self, article: int, fields: dict[str, str]) -> None:
        found = self._form(f"ecrire/?exec=article_edit&id_article={article}", "editer_article")
        self.unshown |= {k for k, v in fields.items() if v and not found.has(k)}
        answer = self.http.post(found.action, found.values() | fields)
        if answer.status not in (301, 302, 303):
            now = self.read(article)  # a bad signature or a conflict: 200, nothing done
            if any(_same(now.get(k, ""), v) is False for k, v in fields.items()):
                raise SiteError(_("{site}: SPIP did not take the change of article {number}")
                                .format(site=self.http.base, number=article),
                                _("run it again (the form may have expired)"))

    def status(self, article: int) -> str:
        found = self._form(f"ecrire/?exec=article&id_article={article}", "instituer_objet")
        return found.values().get("statut_old", "")

    def set_status(self, article: int, status: str) -> str:
        """Propose or publish; the status SPIP now has (a rédacteur's "publie" is refused:
        "prop" comes back)."""
        found = self._form(f"ecrire/?exec=article&id_article={article}", "instituer_objet")
        old = found.values().get("statut_old", "")
        if old == status:
            return old
        offered = found.radios("statut")
        if status == "publie" and status not in offered:
            status = "prop"  # a rédacteur proposes: publishing needs an administrator
        if status == old or status not in offered:
            return old
        self.http.post(found.action, found.values() | {"statut": status})
        return self.status(article)

    def set_date(self, article: int, when) -> bool:
        """The publication date (after the status: publishing dates it to now); False where
        the account may not."""
        try:
            found = self._form(f"ecrire/?exec=article&id_article={article}", "dater")
        except SiteError:
            return False
        values = found.values() | {"date_jour": when.strftime("%d/%m/%Y"),
                                   "date_heure": when.strftime("%H:%M"), "changer": "Changer"}
        values.pop("annuler", None)
        self.http.post(found.action, values)
        return True

    def keywords(self, article: int, titles: list[str]) -> tuple[list[str], list[str]]:
        """Link the keywords of these titles that the site has: (linked, not on the site)."""
        from rencontres.core.text import name_key

        path = f"ecrire/?exec=article&id_article={article}"
        found = self._form(path, "editer_liens", having="debutmotl")
        page = self.http.post(found.action, found.values() | {"visible": "1"})
        shown = form(page.text, "editer_liens", having="debutmotl")
        ids = set(re.findall(r'name="supprimer_lien\[mot-(\d+)-article-', page.text))
        already = {name_key(html.unescape(t)) for i, t in re.findall(
            r'exec=mot&amp;id_mot=(\d+)"[^>]*>([^<]*)</a>', page.text) if i in ids}
        choices: dict[str, str] = {}
        for name, options in (shown.options if shown else {}).items():
            if name.startswith("ajouter_lien"):
                for o in options:
                    if o.value.startswith("mot-"):
                        choices.setdefault(name_key(o.text), o.value)
        linked, missing = [], []
        for title in titles:
            if name_key(title) in already:
                linked.append(title)
                continue
            value = choices.get(name_key(title))
            if value is None:
                missing.append(title)
                continue
            assert shown is not None
            self.http.post(shown.action, shown.values() | {f"ajouter_lien[{value}]": "+"})
            linked.append(title)
        return linked, missing

    def public_url(self, article: int) -> str:
        return f"{self.http.base}spip.php?article{article}"


def normal(text: str) -> str:
    """A field as compared and digested: line endings and trailing spaces aside (SPIP
    stores the text as posted, CRLF included)."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip("\n")


def _same(a: str, b: str) -> bool:
    return normal(a) == normal(b)

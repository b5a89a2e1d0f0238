"""A SPIP site's backup, read: its rubriques, and the articles of one as SPIP stores them.

SPIP's `dump` plugin (Maintenance → Sauvegarder la base, in every SPIP 3 and 4) writes the
site's database as one SQLite file, whatever database the site runs on. What a 4.3.5 backup
holds (measured on backups made by SPIP's own code, `tests/data/spip-backup/make.sh`): tables
named `spip_*` whatever the site's prefix; `spip_articles`, `spip_rubriques` and `spip_meta`
always, the others only when the webmaster left them ticked; `version_installee` the schema
number (2022022303 for 4.3), the release in the serialized `plugin` meta.

Only the tables and columns named here are read, through a read-only connection: never
`spip_auteurs` (e-mails, password hashes), never a meta row but those of `_META` (the
backup also holds `secret_du_site`, `alea_ephemere`).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rencontres.core.errors import UsageError, reason
from rencontres.core.i18n import _
from rencontres.core.text import name_key, shown_title

MAGIC = b"SQLite format 3\x00"
# the columns read, table by table; the first three tables are required
ARTICLE_COLUMNS = ("id_article", "id_rubrique", "surtitre", "titre", "soustitre", "chapo",
                   "texte", "ps", "date", "date_redac", "statut", "lang")
_TABLES = {
    "spip_articles": ARTICLE_COLUMNS,
    "spip_rubriques": ("id_rubrique", "id_parent", "titre"),
    "spip_meta": ("nom", "valeur"),
    "spip_mots": ("id_mot", "titre"),
    "spip_mots_liens": ("id_mot", "id_objet", "objet"),
    "spip_documents": ("id_document", "titre", "fichier", "distant"),
    "spip_documents_liens": ("id_document", "id_objet", "objet"),
    "spip_urls": ("url", "type", "id_objet", "date"),
}
_REQUIRED = ("spip_articles", "spip_rubriques", "spip_meta")
_META = ("adresse_site", "version_installee", "type_urls", "langue_site", "nom_site", "plugin")
SPIP4 = 2019000000  # SPIP 4.0's schema numbers are dates (2021…); 3.2's is 23375
PUBLISHED = "publie"
STATUSES = ("publie", "prop", "prepa", "refuse", "poubelle")
_RELEASE = re.compile(r's:4:"SPIP";a:\d+:\{.*?s:7:"version";s:\d+:"([^"]+)"')


def is_backup(path: Path) -> bool:
    """Whether a file is an SQLite database (what a SPIP backup is), by its first bytes."""
    try:
        with path.open("rb") as f:
            return f.read(16) == MAGIC
    except OSError:
        return False


def shown(title: str, lang: str = "fr") -> str:
    """A title as the site shows it (`core.text.shown_title`)."""
    return shown_title(title, lang)


@dataclass(frozen=True, slots=True)
class Rubrique:
    id: int
    parent: int
    title: str  # as shown


@dataclass(frozen=True, slots=True)
class Document:
    id: int
    title: str
    url: str


@dataclass(slots=True)
class Article:
    """One row of `spip_articles`, with what is linked to it."""

    id: int
    rubrique: int
    surtitre: str
    titre: str
    soustitre: str
    chapo: str
    texte: str
    ps: str
    date: str
    date_redac: str
    statut: str
    lang: str
    keywords: list[str] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)


@dataclass(frozen=True)
class SiteInfo:
    """What reading an article needs of its site (`Backup.info`): a value that crosses to
    worker processes, where the open backup cannot."""

    address: str
    lang: str
    paths: dict[int, tuple[str, ...]]

    def path_of(self, rid: int) -> list[str]:
        return list(self.paths.get(rid, ()))


class Backup:
    """An open backup (`open_backup`): the site's meta, its rubriques; articles on request."""

    def __init__(self, path: Path, db: sqlite3.Connection, tables: set[str]) -> None:
        self.path, self.db, self.tables = path, db, tables
        meta = dict(db.execute(f"SELECT nom, valeur FROM spip_meta WHERE nom IN "
                               f"({','.join('?' * len(_META))})", _META).fetchall())
        self.schema = str(meta.get("version_installee") or "")
        release = _RELEASE.search(str(meta.get("plugin") or ""))
        self.release = release[1] if release else ""
        address = str(meta.get("adresse_site") or "").strip()
        self.address = address.rstrip("/") + "/" if address else ""
        self.lang = str(meta.get("langue_site") or "fr")
        self.name = str(meta.get("nom_site") or "")
        self.type_urls = str(meta.get("type_urls") or "page")
        self.rubriques = {int(i): Rubrique(int(i), int(p or 0), shown(str(t or ""), self.lang))
                          for i, p, t in db.execute(
                              "SELECT id_rubrique, id_parent, titre FROM spip_rubriques")}

    def close(self) -> None:
        self.db.close()

    def info(self) -> SiteInfo:
        return SiteInfo(self.address, self.lang,
                        {r: tuple(self.path_of(r)) for r in self.rubriques})

    # -- the tree ----------------------------------------------------------------------------
    def path_of(self, rid: int) -> list[str]:
        out: list[str] = []
        seen: set[int] = set()
        while rid in self.rubriques and rid not in seen:
            seen.add(rid)
            out.append(self.rubriques[rid].title)
            rid = self.rubriques[rid].parent
        return out[::-1]

    def children(self, rid: int) -> list[Rubrique]:
        return sorted((r for r in self.rubriques.values() if r.parent == rid and r.id != rid),
                      key=lambda r: r.id)

    def within(self, rid: int, recursive: bool) -> list[int]:
        """The rubrique, and with `recursive` every rubrique below it."""
        out, todo = [rid], [rid] if recursive else []
        while todo:
            for child in self.children(todo.pop()):
                if child.id not in out:
                    out.append(child.id)
                    todo.append(child.id)
        return out

    def counts(self) -> dict[int, tuple[int, int]]:
        """Each rubrique's articles: (published, the others)."""
        out: dict[int, tuple[int, int]] = {}
        for rid, published, others in self.db.execute(
                "SELECT id_rubrique, SUM(statut = 'publie'), SUM(statut != 'publie') "
                "FROM spip_articles GROUP BY id_rubrique"):
            out[int(rid)] = (int(published or 0), int(others or 0))
        return out

    def find(self, spec: str) -> int:
        """A rubrique by its number, or by its path as the site shows it ("A/B/C")."""
        spec = spec.strip()
        if spec.isdigit():
            if int(spec) not in self.rubriques:
                raise UsageError(_("{path}: no rubrique number {number} in this backup").format(
                    path=self.path, number=spec),
                    _("the backup's rubriques are listed when none is given"))
            return int(spec)
        wanted = _path_key(spec.split("/"))
        found = [r for r in self.rubriques if _path_key(self.path_of(r)) == wanted]
        if len(found) > 1:
            numbers = [str(r) for r in sorted(found)]
            both = numbers[0]
            for number in numbers[1:]:
                both = _("{numbers} and {number}").format(numbers=both, number=number)
            raise UsageError(_("{path}: \"{spec}\" is rubriques {numbers}").format(
                path=self.path, spec=spec, numbers=both),
                _("give the number of the one to import instead of its path"))
        if not found:
            from rencontres.core.text import nearest

            paths = {"/".join(self.path_of(r)): r for r in self.rubriques}
            near = nearest(spec, paths)
            raise UsageError((_("{path}: no rubrique \"{spec}\" in this backup (did you mean "
                               "\"{near}\", number {number}?)") if near else
                              _("{path}: no rubrique \"{spec}\" in this backup")).format(
                path=self.path, spec=spec, near=near, number=paths.get(near or "")),
                _("the backup's rubriques are listed when none is given"))
        return found[0]

    # -- articles ----------------------------------------------------------------------------
    def articles(self, rubriques: Iterable[int]) -> list[Article]:
        """Every article of these rubriques (whatever its status), by number, with its
        keywords and documents."""
        ids = sorted(set(rubriques))
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM spip_articles WHERE "
                               f"id_rubrique IN ({marks}) ORDER BY id_article", ids).fetchall()
        out = [Article(int(r[0]), int(r[1]), *_texts(r[2:])) for r in rows]
        by_id = {a.id: a for a in out}
        for aid, title in self._linked("spip_mots", "spip_mots_liens", "id_mot", "titre"):
            if aid in by_id and (word := shown(title, self.lang)):
                by_id[aid].keywords.append(word)
        for a in out:
            a.keywords.sort(key=name_key)
        if {"spip_documents", "spip_documents_liens"} <= self.tables:
            for aid, did, title, file, distant in self.db.execute(
                    "SELECT l.id_objet, d.id_document, d.titre, d.fichier, d.distant FROM "
                    "spip_documents_liens l JOIN spip_documents d ON d.id_document = "
                    "l.id_document WHERE l.objet = 'article' ORDER BY d.id_document"):
                if int(aid) in by_id:
                    by_id[int(aid)].documents.append(self._document(did, title, file, distant))
        return out

    def _linked(self, table: str, links: str, key: str, title: str) -> list[tuple[int, str]]:
        if not {table, links} <= self.tables:
            return []
        return [(int(a), str(t or "")) for a, t in self.db.execute(
            f"SELECT l.id_objet, m.{title} FROM {links} l JOIN {table} m ON m.{key} = l.{key} "
            "WHERE l.objet = 'article'")]

    def _document(self, did, title, file, distant) -> Document:
        file = str(file or "")
        url = file if str(distant) == "oui" or "//" in file else f"{self.address}IMG/{file}"
        name = shown(str(title or ""), self.lang) or file.rsplit("/", 1)[-1]
        return Document(int(did), name, url)

    def links(self) -> tuple[dict[int, tuple[str, str]], dict[int, tuple[str, str]]]:
        """Every article's address and full title as the site shows them, and every
        document's: what `[->art12]` and `<doc3>` in a text point to."""
        urls: dict[int, str] = {}
        if "spip_urls" in self.tables and self.type_urls != "page":
            for aid, url in self.db.execute("SELECT id_objet, url FROM spip_urls WHERE type = "
                                            "'article' ORDER BY date, url"):
                urls[int(aid)] = str(url)  # the newest is the article's address
        articles = {int(aid): (self._article_url(int(aid), urls.get(int(aid))),
                               shown(str(title or ""), self.lang))
                    for aid, title in self.db.execute("SELECT id_article, titre FROM spip_articles")}
        documents: dict[int, tuple[str, str]] = {}
        if "spip_documents" in self.tables:
            for row in self.db.execute("SELECT id_document, titre, fichier, distant FROM "
                                       "spip_documents"):
                doc = self._document(*row)
                documents[doc.id] = (doc.url, doc.title)
        return articles, documents

    def _article_url(self, aid: int, url: str | None) -> str:
        """spip.php?articleN (the default `page` URLs, and what every SPIP answers), or the
        article's own URL in the site's scheme."""
        if url and self.type_urls in ("propres", "libres"):
            return self.address + url
        if url and self.type_urls == "propres2":
            return f"{self.address}{url}.html"
        if url and self.type_urls == "propres_qs":
            return f"{self.address}?{url}"
        if self.type_urls == "html":
            return f"{self.address}article{aid}.html"
        return f"{self.address}spip.php?article{aid}"


def _texts(values) -> tuple[str, str, str, str, str, str, str, str, str, str]:
    """The text columns of an article's row (NULL as empty)."""
    out = tuple(str(v or "") for v in values)
    assert len(out) == 10
    return out  # type: ignore[return-value]


def _path_key(parts: Iterable[str]) -> tuple[str, ...]:
    return tuple(name_key(shown(p)).rstrip(" .") for p in parts if p.strip())


def open_backup(path: Path) -> Backup:
    """The backup, opened read-only; one line (exit 2) for anything that is not a readable
    SPIP backup, naming what is missing."""
    def refuse(why: str, hint: str | None = None) -> UsageError:
        return UsageError(_("{path}: {why}").format(path=path, why=why), hint if hint is not None
                          else _("give the file SPIP's Maintenance → Sauvegarder la base wrote "
                                 "(a .sqlite file)"))

    try:
        size = path.stat().st_size
    except OSError as exc:
        raise refuse(_("cannot be read ({why})").format(why=reason(exc))) from None
    if size == 0:
        raise refuse(_("empty file: not a SPIP backup"))
    if not is_backup(path):
        raise refuse(_("not a SPIP backup (not an SQLite file)"))
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        columns: dict[str, set[str]] = {}
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            if name in _TABLES:
                columns[name] = {c[1] for c in db.execute(f"PRAGMA table_info({name})")}
        db.execute("PRAGMA quick_check").fetchall()
    except sqlite3.Error as exc:
        raise refuse(_("damaged or truncated SQLite file ({why})").format(why=exc),
                     _("download the backup again from the site")) from None
    missing = [t for t in _REQUIRED if t not in columns]
    if missing:
        db.close()
        raise refuse(_("not a SPIP backup (no table {tables})").format(tables=", ".join(missing)))
    try:
        backup = Backup(path, db, set(columns))
        lacking = [f"{t}.{c}" for t, cols in columns.items() for c in _TABLES[t] if c not in cols]
        if lacking:
            raise refuse(_("a SPIP backup of schema {schema} whose tables lack what is needed "
                           "({columns}): not readable here").format(
                               schema=backup.schema or _("(unknown)"),
                               columns=", ".join(lacking[:4])),
                         _("make the backup with SPIP 4 (or a SPIP 3.2 updated to it)"))
        backup.articles([])  # every query's columns, tried once
    except sqlite3.Error as exc:
        db.close()
        raise refuse(_("damaged or truncated SQLite file ({why})").format(why=exc),
                     _("download the backup again from the site")) from None
    except UsageError:
        db.close()
        raise
    return backup

"""`import BACKUP.sqlite --section …`: the articles of one rubrique of a site's backup as one
batch of `plan.Plan` (planned whole, written all or nothing), the table of what becomes of
each article, and what the import wrote kept in the group's state (`state.toml`,
`[imported]`): article → record and the digest of the text written, with a digest of the
batch's input. A second import of an unchanged backup then reads no article and no record
again (it hashes the files it wrote: one it finds changed is an edited record, kept).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rencontres.core.i18n import N_
from rencontres.importer import backup as spip
from rencontres.importer import fromsite, reader
from rencontres.importer.lines import Links
from rencontres.importer.plan import EDITED, UNCHANGED, Plan
from rencontres.importer.said import Said

STEM = re.compile(r"\d{4}-\d{2}-\d{2}(?:-\d+)?")
STATUS_WORDS = {"prop": N_("proposed"), "prepa": N_("being written"), "refuse": N_("refused"),
                "poubelle": N_("in the bin")}


@dataclass(frozen=True)
class Row:
    """A line of the plan's table: an article, its date, its title, what becomes of it (in
    English; `said.shown` in the user's language)."""

    article: int
    day: str
    title: str
    what: str


@dataclass
class SiteBatch:
    plan: Plan | None  # None: nothing changed since the last import (`rows` say so)
    rows: list[Row]
    kept: list[tuple[Path, str]] = field(default_factory=list)  # on the quick path
    key: str = ""  # the index's key in the state
    inputs: str = ""  # the digest of what was read (without group.toml)
    wrote: dict[int, Path] = field(default_factory=dict)  # article → the record it made


def source(path: Path, aid: int) -> Path:
    """How an article of a backup is named in notes and record headers."""
    return Path(f"{path} (article {aid})")


def plan_backup(store, slug: str, site: spip.Backup, rid: int, recursive: bool = False,
                statuses: tuple[str, ...] = (), update: bool = False,
                progress: Callable[[int, int], None] | None = None) -> SiteBatch:
    """The batch for rubrique `rid` (and those below it, `recursive`): its published
    articles, and those of `statuses`."""
    articles = site.articles(site.within(rid, recursive))
    taken = [a for a in articles if a.statut == spip.PUBLISHED or a.statut in statuses]
    chosen = {a.id for a in taken}
    left = [Row(a.id, _prefix_day(a, site), spip.shown(a.titre, site.lang),
                Said(N_("left out: {status} ({code})"), code=a.statut, status=Said(
                    STATUS_WORDS[a.statut]) if a.statut in STATUS_WORDS else a.statut))
            for a in articles if a.id not in chosen]
    article_links, document_links = site.links()
    links = Links(article_links, document_links)
    key = f"{site.address or site.name} rubrique {rid}" + (  # i18n: a key of state.toml
        " and below" if recursive else "")
    digests = {a.id: _article_digest(a) for a in taken}  # each article's text hashed once
    inputs = _digest(repr((slug, update, [digests[a.id] for a in taken],
                           sorted(article_links.items()), sorted(document_links.items()))))
    quick = _unchanged(store, slug, key, inputs, taken)
    if quick is not None:
        rows, kept = quick
        return SiteBatch(None, sorted(rows + left, key=lambda r: r.article), kept, key, inputs)
    plan = Plan(store, slug, update=update)
    members = tuple(plan.group.members) if plan.group else ()
    pool = _pool(len(taken))
    try:
        found = dict(zip((a.id for a in taken),
                         _read_all(taken, site.info(), links, members, site.path, progress,
                                   pool), strict=True))
        if pool is not None:  # the new records' text too, a chunk per worker at a time
            plan.compose_many = lambda jobs: _each(pool, _compose_chunk, jobs)
        _place(plan, site, rid, taken, found, digests)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    batch = SiteBatch(plan, [], key=key, inputs=inputs)
    writes = {w.path: w for w in plan.writes}
    kept_by = {(path, file): status for path, status, file in plan.kept}
    batch.rows = sorted(left + [_row(plan, writes, kept_by, store, slug, a, found[a.id], site,
                                     batch) for a in taken], key=lambda r: r.article)
    return batch


def _place(plan: Plan, site: spip.Backup, rid: int, taken: list, found: dict,
           digests: dict[int, str]) -> None:
    for a in taken:
        if isinstance(found[a.id], reader.Imported):  # the group's page: the section's
            found[a.id].section_url = f"{site.address}spip.php?rubrique{rid}"
        if not isinstance(found[a.id], fromsite.Skipped):
            plan.add_read(source(site.path, a.id), found[a.id],
                          digests[a.id])
    plan.resolve()


Found = reader.Imported | fromsite.Announced | fromsite.Skipped
_CHUNK = 50  # articles a worker reads at a time
_PARALLEL = 200  # from this many articles on, they are read by a worker per core


def _pool(articles: int):
    """A worker process per core (at most 4) for a large batch; None for a small one."""
    from rencontres.records.archive import cores, process_pool

    jobs = min(cores(), 4, -(-articles // _CHUNK)) if articles >= _PARALLEL else 1
    return process_pool(jobs) if jobs > 1 else None


def _read_all(taken: list[spip.Article], info: spip.SiteInfo, links: Links, members: tuple,
              path: Path, progress: Callable[[int, int], None] | None, pool) -> list[Found]:
    """Every article read (`fromsite.read_article`), in order: by the workers of `pool`, or
    in this process."""
    chunks = [(taken[i:i + _CHUNK], info, links, members, path)
              for i in range(0, len(taken), _CHUNK)]
    out: list[Found] = []
    for done in (pool.map(_read_chunk, chunks) if pool is not None else map(_read_chunk, chunks)):
        out += done
        if progress:
            progress(len(out), len(taken))
    return out


def _each(pool, function, items: list) -> list:
    """`function` of each chunk of `items`, by the pool's workers, flattened in order."""
    chunks = [items[i:i + _CHUNK] for i in range(0, len(items), _CHUNK)]
    return [x for done in pool.map(function, chunks) for x in done]


def _compose_chunk(jobs: list) -> list:
    from rencontres.importer.plan import meeting_text

    return [meeting_text(job) for job in jobs]


def _read_chunk(job: tuple) -> list[Found]:
    articles, info, links, members, path = job
    return [fromsite.read_article(a, info, links, members, name=str(source(path, a.id)))
            for a in articles]


def _row(plan: Plan, writes: dict, kept: dict, store, slug: str, a: spip.Article, found,
         site: spip.Backup, batch: SiteBatch) -> Row:
    title = spip.shown(a.titre, site.lang)
    if isinstance(found, fromsite.Skipped):
        return Row(a.id, _prefix_day(a, site), title, Said(N_("left out: {why}"), why=found.why))
    if isinstance(found, fromsite.Announced):
        day = found.day.isoformat() if found.day else ""
        if found.into:
            path = store.meeting_path(slug, found.into)
            batch.wrote[a.id] = path
            return Row(a.id, day, title, Said(N_("announcement: completes the next meeting of "
                                                 "{file}"), file=path.name))
        stub = next((w for w in plan.writes if w.what == "stub" and w.path.stem.startswith(day)
                     and day), None)
        if stub is not None:
            batch.wrote[a.id] = stub.path
            return Row(a.id, day, title, Said(N_("announcement: a stub, {file}"),
                                              file=stub.path.name))
        return Row(a.id, day, title, Said(N_("announcement: its meeting has its record already")))
    assert found.date is not None
    path = store.meeting_path(slug, found.date.isoformat())
    day = found.date.isoformat()
    w = writes.get(path)
    if w is not None and w.what != "stub":
        batch.wrote[a.id] = path
        return Row(a.id, day, title, Said(N_("{status}: {file}"), status=w.what, file=path.name))
    status = kept.get((path, source(site.path, a.id)))
    if status is not None:
        batch.wrote[a.id] = path
        return Row(a.id, day, title, Said(N_("{status}: {file}"), status=status, file=path.name))
    return Row(a.id, day, title, Said(N_("left out: another article of that day is imported")))


def _prefix_day(a: spip.Article, site: spip.Backup) -> str:
    day = fromsite.title_parts(spip.shown(a.titre, site.lang))[0]
    return day.isoformat() if day else ""


def _article_digest(a: spip.Article) -> str:
    """A digest of what an article's row and links say (its text encoded once, no repr)."""
    h = hashlib.sha256()
    for value in (a.id, a.rubrique, a.surtitre, a.titre, a.soustitre, a.chapo, a.texte, a.ps,
                  a.date, a.date_redac, a.statut, a.lang, repr(a.keywords), repr(a.documents)):
        h.update(str(value).encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _group_digest(store, slug: str) -> str:
    from rencontres.records.cache import code_digest

    return _digest(code_digest() + (_file_digest(store.group_file(slug)) or ""))


def _unchanged(store, slug: str, key: str, inputs: str,
               taken: list[spip.Article]) -> tuple[list[Row], list[tuple[Path, str]]] | None:
    """The rows of a batch the last import already wrote, when nothing it read changed and
    every record it wrote is there (changed: edited since, and kept); else None."""
    if not store.group_file(slug).is_file():
        return None
    from rencontres.invite.state import read_state

    index = read_state(store, slug).get("imported", {}).get(key)
    if not isinstance(index, dict) or index.get("inputs") != inputs or \
            index.get("group") != _group_digest(store, slug):
        return None
    done = index.get("articles", {})
    rows: list[Row] = []
    kept: list[tuple[Path, str]] = []
    for a in taken:
        entry = done.get(str(a.id)) if isinstance(done, dict) else None
        if not isinstance(entry, dict) or not isinstance(entry.get("record"), str) or \
                not STEM.fullmatch(entry["record"]):
            return None  # not what an import wrote: read everything again
        path = store.group_dir(slug) / f"{entry['record']}.toml"
        digest = _file_digest(path)
        if digest is None:
            return None
        status = UNCHANGED if digest == entry["digest"] else EDITED
        if status == EDITED:
            kept.append((path, status))
        rows.append(Row(a.id, entry["record"][:10], spip.shown(a.titre),
                        Said(N_("{status}: {file}"), status=status, file=path.name)))
    return rows, kept


def remember(store, slug: str, batch: SiteBatch) -> dict | None:
    """The group's state with this batch's index (None when it holds it already): to write
    once the records are."""
    import copy

    from rencontres.invite.state import read_state

    state = read_state(store, slug)
    articles = {}
    for aid, path in sorted(batch.wrote.items()):
        digest = _file_digest(path)
        if digest is not None:
            articles[str(aid)] = {"record": path.stem, "digest": digest}
    entry = {"inputs": batch.inputs, "group": _group_digest(store, slug), "articles": articles}
    if state.get("imported", {}).get(batch.key) == entry:
        return None
    new = copy.deepcopy(state)
    new.setdefault("imported", {})[batch.key] = entry
    return new

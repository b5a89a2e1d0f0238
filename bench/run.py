"""Benchmark: generate a realistic archive, then time the commands against floors.

    .venv/bin/python bench/run.py [--meetings 10000] [--groups 10] [--repeat 5]
                                  [--keep DIR] [--json FILE]

Each figure is the best (min) and median wall time of --repeat fresh processes.
No timing is asserted: this measures, it does not judge (see bench/README.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from rencontres.records.write import to_toml

PY = sys.executable
CLI = str(Path(PY).with_name("rencontres"))
NB = "\u202f"  # French typography: narrow no-break space before ; : ! ?

FIRST = ("Hélène Sandrine Benoît Amélie François Zoé Jérôme Cécile Loïc Anaïs Raphaël Maëlle Yamina "
         "Pierre Marie-ange Thibault Léa Noël Inès Grégoire Océane Joël Aurélie Karim Stéphane")
LAST = ("Laude Delrieu Oswald Favre Mouloudj Lévy Borgue Morbelli Garçon Lefèvre Bénard Château Nguyen "
        "Perrin Dubœuf Ménard Rousseau Faure Roux Girard Mercier Guérin Blanc Boyer Chevalier")
FIRST, LAST = FIRST.split(), LAST.split()
ORGS = ["Energie Alternative", "Intermade", "Apeas", "LaPlateforme", "Essor13", "Place", "Cités Unies",
        "Coopérer Ensemble", "Réseau Éco-Solidaire", "Atelier Vélo du Panier"]
THEMES = ["l’accompagnement des porteurs de projets", "la plaquette commune", "le budget 2008",
          "la mutualisation des locaux", "le site internet", "les partenariats territoriaux",
          "la formation des bénévoles", "l’évaluation de l’expérimentation", "le calendrier",
          "les coopératives d’activités et d’emploi", "la finance solidaire", "l’observatoire"]
SENTENCES = [
    "{p} a présenté {t}{nb}: la démarche est *appréciée* par l’ensemble des participants.",
    "Le groupe s’interroge sur {t}{nb}; faut-il associer l’association {o} dès maintenant{nb}?",
    "Il est convenu de reprendre ce point à la lumière des retours de « {o} ».",
    "{p} rappelle le contexte d’émergence de cette initiative, impulsée dans le cadre du COPECS.",
    "Sur **{t}**, la question reste ouverte et pourra être travaillée dans le temps.",
    "Voir le compte rendu détaillé sur [le site du partenaire {o}](https://www.example.org/{slug}/{n}).",
    "Les échanges ont porté à la fois sur le positionnement de l’association {o} et sur les moyens.",
    "Une part du budget (3000 à 4000 €) pourrait y être affectée, ce qui reste à préciser.",
    "{p} souligne que le projet doit être « ficelé » et le porteur de projet opérationnel{nb}!",
    "Cette éventualité sera abordée collectivement, sur la base d’un devis (graphiste, imprimeur…).",
]
TASKS = ["Préparer une note sur {t}", "Contacter l’association {o} au sujet de {t}",
         "Envoyer le compte rendu aux membres", "Rédiger une première proposition de plaquette",
         "Demander un devis à un graphiste", "Mettre à jour la page du groupe sur le site de {o}",
         "Réserver la salle pour la prochaine rencontre", "Faire circuler le questionnaire « {t} »"]
VENUES = [(o, f"{n}, {s}") for o, n, s in zip(ORGS, range(3, 60, 6), [
    "La Canebière", "rue de la République", "boulevard National", "place de Lenche", "rue d’Aubagne",
    "cours Julien", "rue Sainte", "avenue de la Timone", "quai du Port", "rue Paradis"], strict=True)]


def email_of(name: str, rng: random.Random) -> str:
    local = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().replace(" ", ".")
    return f"{local}@{rng.choice(['example.org', 'example.fr', 'asso.example.net'])}"


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


class Writer:
    """Writes records as a secretary would: comments, prose, lists, links, accents."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def sentence(self, people, slug: str) -> str:
        r = self.rng
        return r.choice(SENTENCES).format(p=r.choice(people), t=r.choice(THEMES), o=r.choice(ORGS),
                                          nb=NB, slug=slug, n=r.randint(1, 999))

    def markdown(self, people, slug: str, paragraphs: int) -> str:
        r, blocks = self.rng, []
        for _ in range(paragraphs):
            if r.random() < 0.25:
                blocks.append("\n".join(f"- {self.sentence(people, slug)}" for _ in range(r.randint(2, 4))))
            else:
                blocks.append(" ".join(self.sentence(people, slug) for _ in range(r.randint(2, 5))))
        return "\n\n".join(blocks)

    def group(self, slug: str, number: int) -> tuple[str, list[dict]]:
        r = self.rng
        names = r.sample([f"{first} {last}" for first in FIRST for last in LAST], 15 + r.randint(-2, 2))
        members = [{"name": n, "organization": r.choice(ORGS), "email": email_of(n, r)} for n in names]
        for m in r.sample(members, 2):
            m["role"] = r.choice(["stagiaire", "chargée de mission", "président"])
        name = f"Groupe de travail n°{number} : {r.choice(THEMES)}"
        section = ["Groupes de travail", slug.capitalize(), "Les rencontres de ce groupe de travail"]
        lines = [f"# The working group {slug}: a SPIP rubrique.", "", f"name = {q(name)}",
                 "section = [" + ", ".join(q(s) for s in section) + "]",
                 'language = "fr"', 'timezone = "Europe/Paris"', "duration_minutes = 120",
                 "keywords = [" + ", ".join(q(k) for k in r.sample(THEMES, 3)) + "]",
                 f'objectives = """\n{self.markdown(names, slug, 4)}"""', "",
                 "[organizer]", f"name = {q(members[0]['name'])}", f"email = {q(members[0]['email'])}"]
        for m in members:
            lines += ["", "[[members]]", *(f"{k} = {q(v)}" for k, v in m.items())]
        return "\n".join(lines) + "\n", members

    def meeting(self, slug: str, when: dt.datetime, following: dt.datetime, members: list[dict],
                recent: bool = True) -> dict:
        """A record; its actions were done by now unless the meeting is `recent` (one of its
        group's last four), as in a group that follows its actions up: an invitation's agenda
        (the actions still open) is then as long in a group of 10 as in one of 1,000, and the
        two measure the group's size, not the agenda's."""
        r = self.rng
        chosen = r.sample(members, min(len(members), r.randint(5, 15)))
        people = []
        for m in chosen:
            p = {k: v for k, v in m.items() if k != "email" or r.random() < 0.7}
            roll = r.random()
            if roll < 0.1:
                p["attendance"] = "excused"
            elif roll < 0.15:
                p["attendance"] = "absent"
            people.append(p)
        present = [p["name"] for p in people if "attendance" not in p] or [people[0]["name"]]
        topics = []
        for _ in range(r.randint(2, 5)):
            actions = []
            for _ in range(r.randint(0, 3)):
                task = r.choice(TASKS).format(t=r.choice(THEMES), o=r.choice(ORGS))
                due = (following + dt.timedelta(days=r.choice([0, 7, 30]))).date()
                actions.append({"owner": r.choice(present), "task": task, "due": due})
                roll = r.random()  # drawn for every action: the rest of the archive as before
                if not recent or roll < 0.2:
                    actions[-1]["done"] = True
            topic = {"title": r.choice(THEMES).capitalize(),
                     "body": self.markdown(present, slug, r.randint(2, 5)),
                     "decisions": [self.sentence(present, slug) for _ in range(r.randint(0, 3))],
                     "actions": actions}
            topics.append({k: v for k, v in topic.items() if v})  # no empty `decisions = []`
        venue, address = r.choice(VENUES)
        nvenue, naddress = r.choice(VENUES)
        data = {"date": when, "end": (when + dt.timedelta(hours=2)).time(), "venue": venue,
                "address": address, "participants": people, "topics": topics,
                "next": {"date": following, "venue": nvenue, "address": naddress}}
        if r.random() < 0.3:
            data["context"] = self.markdown(present, slug, 1)
        if r.random() < 0.2:
            data["keywords"] = r.sample(THEMES, 2)
        return data


def generate(root: Path, meetings: int, groups: int, seed: int = 2007,
             sizes: list[int] | None = None) -> None:
    """`meetings` spread evenly over `groups`, or one group per entry of `sizes`."""
    rng = random.Random(seed)
    writer = Writer(rng)
    sizes = sizes or [meetings // groups + (g < meetings % groups) for g in range(groups)]
    for g, count in enumerate(sizes):
        slug = f"groupe-{g + 1:02d}"
        folder = root / slug
        folder.mkdir(parents=True)
        text, members = writer.group(slug, g + 1)
        (folder / "group.toml").write_text(text, encoding="utf-8")
        day, dates = dt.date(1995, 1, 9) + dt.timedelta(days=g), []
        for _ in range(count + 1):  # distinct days, in order; one more for the last [next]
            hour = dt.time(rng.choice([9, 10, 14, 17]), rng.choice([0, 30]))
            dates.append(dt.datetime.combine(day, hour))
            day += dt.timedelta(days=rng.randint(3, 12))
        for i in range(count):
            data = writer.meeting(slug, dates[i], dates[i + 1], members, recent=i >= count - 4)
            header = f"# Compte rendu de la rencontre du {dates[i]:%d/%m/%Y}, relu par le groupe.\n"
            (folder / f"{dates[i]:%Y-%m-%d}.toml").write_text(to_toml(data, header), encoding="utf-8")


FLOOR_C = ("import pathlib, sys, tomllib\n"
           "for p in pathlib.Path(sys.argv[1]).rglob('*.toml'): tomllib.loads(p.read_text('utf-8'))")
# Runs a command and reports the largest resident set of it and the processes it waited for.
PEAK = ("import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
        "sys.exit(done.returncode)")
MARGIN_S = 2.1  # the cache trusts files older than 2 s (rencontres.records.cache.MARGIN_NS)


def timed(argv: list[str], repeat: int, env: dict[str, str], before=None) -> tuple[list[float], str]:
    """Wall times of `repeat` fresh processes (`before(i)` run untimed first), and the last
    run's stderr."""
    times, err = [], ""
    for i in range(repeat):
        args = before(i) if before else argv
        start = time.perf_counter()
        done = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        times.append(time.perf_counter() - start)
        err = done.stderr.decode(errors="replace")
        if done.returncode != 0:
            sys.exit(f"{' '.join(args)} failed ({done.returncode}):\n{err[-2000:]}")
    return times, err


def paired(floor: list[str], argv: list[str], repeat: int, env: dict[str, str],
           floor_env: dict[str, str] | None = None) -> tuple[list[float], list[float]]:
    """The floor and the command run alternately, so that both meet the same load on a
    shared machine: their ratio is then steadier than that of separate series."""
    floors, times = [], []
    for _ in range(repeat):
        floors += timed(floor, 1, floor_env or env)[0]
        times += timed(argv, 1, env)[0]
    return floors, times


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Python {sys.version.split()[0]}"


class Table:
    """Rows of (case, best, median, what it is compared with, ratio, target, met)."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.best: dict[str, float] = {}

    def add(self, name: str, times: list[float] | None, *, vs: str | None = None,
            target: float | None = None, value: float | None = None, unit: str = "×",
            absolute: bool = False, floor_times: list[float] | None = None) -> None:
        """`floor_times`: the floor `vs` measured alongside (see `paired`), else its series."""
        best = min(times) if times else None
        if best is not None:
            self.best[name] = best
        floor = min(floor_times) if floor_times else self.best.get(vs or "")
        ratio = value if value is not None else (
            best if absolute else best / floor if vs and best is not None else None)
        met = None if target is None or ratio is None else ratio <= target
        row = {"case": name, "best": best, "median": statistics.median(times) if times else None,
               "vs": vs, "ratio": ratio, "unit": unit, "target": target, "met": met,
               "times": times}
        self.rows.append(row)
        cell = lambda v, f: f.format(v) if v is not None else ""  # noqa: E731
        ratio_cell = cell(ratio, "{:.2f}") + (f" {unit} {vs.split(':')[0]}" if vs and ratio is not None
                                              and unit == "×" else f" {unit}" if ratio is not None else "")
        mark = {True: "met", False: "NOT MET", None: ""}[met]
        print(f"| {name} | {cell(best, '{:.3f}')} | {cell(row['median'], '{:.3f}')} | {ratio_cell} | "
              f"{cell(target, '≤ {:g}')} | {mark} |", flush=True)


def hugo_site(folder: Path, site: Path) -> Path:
    """A Hugo site of the same pages: each synthesis's Markdown with its title, a page per
    record and a list per group, through the plainest layouts."""
    (folder / "layouts" / "_default").mkdir(parents=True)
    (folder / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "bench"\n'
                                      'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n',
                                      encoding="utf-8")
    (folder / "layouts" / "_default" / "single.html").write_text(
        "<html><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>\n", encoding="utf-8")
    (folder / "layouts" / "_default" / "list.html").write_text(
        "<html><body><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>"
        "</li>{{ end }}</ul></body></html>\n", encoding="utf-8")
    for md in site.glob("*/*.md"):
        if md.stem in ("index", "keywords"):
            continue
        text = md.read_text(encoding="utf-8")
        title = text.split("\n", 1)[0].lstrip("# ").replace('"', "'")
        target = folder / "content" / md.parent.name / md.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f'+++\ntitle = "{title}"\n+++\n{text}', encoding="utf-8")
    return folder


# The floor of importing a backup: every article's row read with sqlite3, one TOML file per
# article written with tomli_w.
FLOOR_BACKUP = (
    "import sqlite3, sys, tomli_w, pathlib\n"
    "out = pathlib.Path(sys.argv[2]); out.mkdir()\n"
    "db = sqlite3.connect(sys.argv[1])\n"
    "for row in db.execute('SELECT id_article, surtitre, titre, soustitre, chapo, texte, ps, "
    "date, statut, lang, id_rubrique FROM spip_articles'):\n"
    "    names = ('id', 'surtitre', 'titre', 'soustitre', 'chapo', 'texte', 'ps', 'date', "
    "'statut', 'lang', 'rubrique')\n"
    "    (out / f'{row[0]}.toml').write_text(tomli_w.dumps(dict(zip(names, row))), "
    "encoding='utf-8')\n")
BACKUP_ARTICLES = 2000


def large_backup(work: Path, env: dict[str, str]) -> Path | None:
    """A SPIP 4.3.5 backup of 2,000 more meetings, made by SPIP itself (tests/data/spip-backup/
    make.sh's make.php, on a copy of a fresh SPIP: RENCONTRES_SPIP_ROOT, else where .ci/run
    installs it), kept in ~/.cache/rencontres-bench for the next run. None without SPIP."""
    import hashlib

    here = Path(__file__).resolve().parent.parent / "tests" / "data" / "spip-backup"
    key = hashlib.sha256((here / "make.php").read_bytes()).hexdigest()[:12]
    kept = Path.home() / ".cache" / "rencontres-bench" / f"spip-{BACKUP_ARTICLES}-{key}.sqlite"
    if kept.is_file():
        return kept
    root = Path(os.environ.get("RENCONTRES_SPIP_ROOT") or
                Path.home() / ".cache" / "rencontres-spip")
    if not (root / "config" / "connect.php").is_file() or not shutil.which("php"):
        return None
    site = work / "spip"
    shutil.copytree(root, site, symlinks=True)
    seed = work / "seed.spip"
    shipped = Path(__file__).resolve().parent.parent / "records"
    seed.write_bytes(subprocess.run([CLI, "--records", str(shipped), "render", "ramsess/2007-11-22",
                                     "--format", "spip", "--text-only"], capture_output=True,
                                    check=True, env=env).stdout)
    kept.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["php", str(here / "make.php"), str(seed), str(kept), str(BACKUP_ARTICLES)],
                   check=True, capture_output=True, env={**env, "SPIP_ROOT": str(site)})
    shutil.rmtree(site, ignore_errors=True)
    return kept


def backup_rows(t: Table, work: Path, env: dict[str, str], slow: int) -> None:
    """import BACKUP --section: 2,000 articles cold (a new records folder each time), then
    again (nothing to write), each alternately with the floor."""
    made = time.perf_counter()
    backup = large_backup(work, env)
    if backup is None:
        print("| import from a backup | | | no SPIP to make the backup with (see ../shared/tools/"
              "spip-engine/setup.sh) | | |")
        return
    print(f"backup of {BACKUP_ARTICLES:,} articles: {backup} ({time.perf_counter() - made:.0f} s)",
          file=sys.stderr)
    import sqlite3

    with sqlite3.connect(backup) as db:  # the rubrique make.php puts them in
        rid = db.execute("SELECT id_rubrique FROM spip_rubriques WHERE titre = 'Grand groupe'"
                         ).fetchone()[0]
    db.close()

    def target(i: int, tag: str) -> list[str]:
        folder = work / f"import-{tag}-{i}"
        folder.mkdir()
        return [CLI, "--records", str(folder), "import", str(backup), "--section", str(rid),
                "--group", "grand", "-q"]

    floors, cold = [], []
    for i in range(slow):
        floors += timed([PY, "-c", FLOOR_BACKUP, str(backup), str(work / f"floor-{i}")], 1, env)[0]
        cold += timed([], 1, env, before=lambda _, i=i: target(i, "cold"))[0]
    floor = "backup floor: sqlite3 rows, tomli_w files"
    t.add(floor, floors)
    t.add(f"import {BACKUP_ARTICLES:,} articles from a backup, cold", cold, vs=floor, target=3.0,
          floor_times=floors)
    again = [CLI, "--records", str(work / "import-cold-0"), "import", str(backup), "--section",
             str(rid), "--group", "grand", "-q"]
    floors, times = [], []
    for i in range(slow):
        floors += timed([PY, "-c", FLOOR_BACKUP, str(backup), str(work / f"floor-again-{i}")], 1,
                        env)[0]
        times += timed(again, 1, env)[0]
    t.add("import the same backup again (nothing to write)", times, vs=floor, target=0.5,
          floor_times=floors)


def search_rows(t: Table, rc: list[str], site: Path, victim: Path, repeat: int,
                env: dict[str, str]) -> None:
    """The search index on its own rows (Pagefind has no incremental mode: `build` makes it
    again whole when a page changed): made on the built site, cold, with its peak memory;
    then after one record's text changed (the record's pages written, the index made again)."""
    import importlib.util

    if importlib.util.find_spec("pagefind") is None:
        print("| search index | | | Pagefind not installed (`pip install '.[search]'`): no row | | |")
        return
    pages = sum(1 for _ in site.rglob("*.html"))
    index = [PY, "-c", PEAK, *rc, "build", "--search", "-o", str(site)]

    def fresh(_: int) -> list[str]:
        shutil.rmtree(site / "pagefind", ignore_errors=True)
        return index

    times, err = timed([], repeat, env, before=fresh)
    t.add(f"search index, cold ({pages:,} pages, build with nothing else to write)", times,
          absolute=True, unit="s")
    t.add("search index, cold: peak memory (largest process)", None, unit="MB",
          value=int(err.strip().splitlines()[-1]) / 1024)
    text = victim.read_text(encoding="utf-8")

    def edit(i: int) -> list[str]:
        # its venue, shown on its page, changed and put back in turn
        victim.write_text(text.replace('venue = "', 'venue = "Salle ', 1) if i % 2 == 0 else text,
                          encoding="utf-8")
        return index

    t.add("search index, after one record changed (build with the index)",
          timed([], repeat, env, before=edit)[0], absolute=True, unit="s")
    victim.write_text(text, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--meetings", type=int, default=10_000)
    ap.add_argument("--groups", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=5, help="runs of each quick command")
    ap.add_argument("--slow-repeat", type=int, default=3, help="runs of each whole-archive command")
    ap.add_argument("--keep", type=Path, help="generate the archives in DIR and leave them there")
    ap.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    a = ap.parse_args()
    if a.repeat < 1 or a.slow_repeat < 1 or a.groups < 1 or a.meetings < a.groups:
        ap.error("need --repeat, --slow-repeat >= 1 and --meetings >= --groups >= 1")
    work = Path(tempfile.mkdtemp(prefix="rencontres-bench-"))
    base = a.keep.resolve() if a.keep else work
    if a.keep and any((base / n).exists() for n in ("records", "size", "linear")):
        sys.exit(f"{base} already holds an archive: give an empty or new --keep folder")
    try:
        run(a, work, base)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(a, work: Path, base: Path) -> None:
    import rencontres

    records, size, linear = base / "records", base / "size" / "records", base / "linear" / "records"
    start = time.perf_counter()
    generate(records, a.meetings, a.groups)
    generate(size, 0, 0, sizes=[10, 1000])  # groupe-01: 10 meetings, groupe-02: 1,000
    generate(linear, a.meetings // 10, max(1, a.groups // 10))  # a tenth of the archive
    mb = sum(p.stat().st_size for p in records.rglob("*.toml")) / 1e6
    print(f"generated {a.meetings} meetings in {a.groups} groups ({mb:.1f} MB), a group of 10 and "
          f"one of 1,000, and {a.meetings // 10} meetings, in {time.perf_counter() - start:.1f} s: "
          f"{base}", file=sys.stderr)
    # An installed package has its bytecode compiled (pip does it); so does this one.
    subprocess.run([PY, "-m", "compileall", "-q", str(Path(rencontres.__file__).parent)], check=True)
    cache = work / "cache"
    env = {**os.environ, "RENCONTRES_CACHE": str(cache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    none = {**env, "RENCONTRES_CACHE": "off"}
    rc = [CLI, "--records", str(records)]
    check = subprocess.run([*rc, "check"], capture_output=True, text=True, env=env)  # fills the cache
    summary = check.stderr.strip().splitlines()[-1]
    if check.returncode != 0 or " 0 errors" not in summary:
        sys.exit(f"the generated archive does not pass `rencontres check`:\n{check.stderr[-2000:]}")
    print(f"rencontres check: {summary}", file=sys.stderr)
    for folder in (size, linear):
        subprocess.run([CLI, "--records", str(folder), "check"], capture_output=True, env=env)
    time.sleep(MARGIN_S)  # every file older than the cache's margin
    warm = [[*rc, "check"], [CLI, "--records", str(size), "check"]]
    warm += [[CLI, "--records", str(size), "render", f"{g}/{p.stem}"]  # the records' outlines
             for g in ("groupe-01", "groupe-02") for p in sorted((size / g).glob("1*.toml"))[-1:]]
    for argv in warm:
        subprocess.run(argv, capture_output=True, env=env)  # the cache, now trusted, is written

    q, slow = a.repeat, a.slow_repeat
    t = Table()
    print(f"\nOn {machine()}; best and median of {q} runs ({slow} for whole-archive commands), "
          "each a fresh process.\n")
    print("| case | best s | median s | ratio | target | |\n|---|---:|---:|---|---|---|")
    t.add("A: python -c pass", timed([PY, "-c", "pass"], q, env)[0])
    t.add("B: import typer", timed([PY, "-c", "import typer"], q, env)[0])
    t.add("C: tomllib, every file", timed([PY, "-c", FLOOR_C, str(records)], slow, env)[0])
    t.add("C1: tomllib, one group", timed([PY, "-c", FLOOR_C, str(records / "groupe-01")], q, env)[0])
    typer_ = [PY, "-c", "import typer"]
    for argv in ([CLI, "--version"], [CLI, "--help"]):
        floors, times = paired(typer_, argv, q, env)
        t.add(argv[-1], times, vs="B: import typer", target=1.3, floor_times=floors)
    rs = [CLI, "--records", str(size)]
    small, large = sorted((size / "groupe-01").glob("1*.toml"))[-1].stem, \
        sorted((size / "groupe-02").glob("*-*.toml"))[-1].stem
    for cmd, target in (("render", 1.5), ("invite", 2.5)):
        extra = ["-o", str(work / "invitation.ics")] if cmd == "invite" else []
        for g, stem, label in (("groupe-01", small, "10"), ("groupe-02", large, "1,000")):
            floors, times = paired(typer_, [*rs, cmd, f"{g}/{stem}", *extra], q, env)
            t.add(f"{cmd} one record, group of {label}", times, vs="B: import typer",
                  target=target, floor_times=floors)
        ratio = {r["case"]: r["ratio"] for r in t.rows}  # each to its own paired floor B
        t.add(f"{cmd}: group of 1,000 / group of 10", None, unit="×", target=1.1,
              value=ratio[f"{cmd} one record, group of 1,000"] / ratio[f"{cmd} one record, group of 10"])
    every, one = "C: tomllib, every file", "C1: tomllib, one group"
    # index and calendar without a group: the site map and one feed of every group's meetings
    for cmd in (["check"], ["list", "--json"], ["actions"], ["index"], ["calendar"]):
        name = " ".join(cmd) + (", every group" if cmd[0] in ("index", "calendar") else "")
        # the floor takes 15 s: measured once, above
        t.add(f"{name}, warm cache", timed([*rc, *cmd], slow, env)[0], vs=every, target=0.5)
        t.add(f"{name}, no cache", timed([*rc, *cmd], slow, none)[0], vs=every, target=1.2)
    # one group of 100, for the record: its floor (0.2 s) is near typer's import, no target
    c1 = [PY, "-c", FLOOR_C, str(records / "groupe-01")]
    for cmd in (["index", "groupe-01"], ["calendar", "groupe-01"]):
        floors, times = paired(c1, [*rc, *cmd], q, env)
        t.add(f"{' '.join(cmd)}, warm cache (no target)", times, vs=one, floor_times=floors)

    def cold(i: int, folder: Path = records, tag: str = "") -> list[str]:
        return [PY, "-c", PEAK, CLI, "--records", str(folder), "build", "--no-search", "-o",
                str(work / f"cold{tag}-{i}")]

    floors, times, err = [], [], ""
    for i in range(slow):  # alternately with floor C, as the quick commands with theirs
        floors += timed([PY, "-c", FLOOR_C, str(records)], 1, env)[0]
        run_times, err = timed([], 1, none, before=lambda _, i=i: cold(i))
        times += run_times
    t.add("build, cold (no cache, new folder)", times, vs="C: tomllib, every file", target=3.0,
          floor_times=floors)
    t.add("build, cold: peak memory (largest process)", None, unit="MB", target=300,
          value=int(err.strip().splitlines()[-1]) / 1024)
    site = work / f"cold-{slow - 1}"
    t.add("build, nothing changed", timed([*rc, "build", "--no-search", "-o", str(site)], q, env)[0],
          absolute=True, unit="s", target=1.5)
    hugo = shutil.which("hugo")
    if hugo:  # the anchor: Hugo making the same 10,000 pages from our Markdown
        source = hugo_site(work / "hugo", site)
        hugo_cold, _ = timed([], slow, env, before=lambda i: [
            hugo, "--quiet", "--source", str(source), "--destination", str(work / f"hugo-out-{i}")])
        t.add("Hugo, cold (anchor)", hugo_cold, absolute=True, unit="s")
        t.add("Hugo, nothing changed (anchor)", timed(
            [hugo, "--quiet", "--source", str(source), "--destination", str(work / f"hugo-out-{slow - 1}")],
            q, env)[0], absolute=True, unit="s")
        t.add("build, nothing changed / Hugo's", None, unit="×", target=1.0,
              value=t.best["build, nothing changed"] / t.best["Hugo, nothing changed (anchor)"])
    else:
        print("| Hugo | | | not installed (`apt-get install hugo`): no anchor | | |")
    victims = sorted((records / f"groupe-{max(1, a.groups // 2):02d}").glob("1*.toml"))
    build = [*rc, "build", "--no-search", "-o", str(site)]
    steady, after = [], []
    for i in range(q):  # alternately, as the quick commands with their floors
        os.utime(victims[i % len(victims)])  # a record saved again, as an editor does
        after += timed(build, 1, env)[0]
        time.sleep(MARGIN_S)  # the record old enough to be trusted again:
        timed(build, 1, env)  # its group read once more, and its stamp written,
        steady += timed(build, 1, env)[0]  # then nothing changed
    t.add("build, after touching one record", after, vs="build, nothing changed", target=1.2,
          floor_times=steady)
    search_rows(t, rc, site, victims[-1], slow, env)
    linear_cold, _ = timed([], slow, none, before=lambda i: cold(i, linear, "-linear"))
    linear_check, _ = timed([CLI, "--records", str(linear), "check"], slow, none)
    for name, small_t, large_t in (
            ("check, no cache", min(linear_check), t.best["check, no cache"]),
            ("build, cold", min(linear_cold), t.best["build, cold (no cache, new folder)"])):
        per_small, per_large = small_t / (a.meetings // 10) * 1000, large_t / a.meetings * 1000
        t.add(f"{name}: ms per record, {a.meetings:,} vs {a.meetings // 10:,} "
              f"({per_large:.2f} vs {per_small:.2f})", None, unit="×", target=1.25,
              value=per_large / per_small)
    backup_rows(t, work, env, slow)
    from replies_bench import replies_rows  # beside this file

    replies_rows(t, work, env, slow, timed, CLI, PY)
    met = [r for r in t.rows if r["met"] is not None]
    print(f"\n{sum(r['met'] for r in met)} of {len(met)} targets met.")
    if a.json:
        a.json.write_text(json.dumps({"meetings": a.meetings, "groups": a.groups, "machine": machine(),
                                      "rows": t.rows}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

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
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from rencontres.newrecord import to_toml

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

    def meeting(self, slug: str, when: dt.datetime, following: dt.datetime, members: list[dict]) -> dict:
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
                if r.random() < 0.2:
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
            data = writer.meeting(slug, dates[i], dates[i + 1], members)
            header = f"# Compte rendu de la rencontre du {dates[i]:%d/%m/%Y}, relu par le groupe.\n"
            (folder / f"{dates[i]:%Y-%m-%d}.toml").write_text(to_toml(data, header), encoding="utf-8")


FLOOR_C = ("import pathlib, sys, tomllib\n"
           "for p in pathlib.Path(sys.argv[1]).rglob('*.toml'): tomllib.loads(p.read_text('utf-8'))")


def timed(argv: list[str], cwd: Path, repeat: int, fresh_dir: Path | None = None) -> list[float]:
    times = []
    for i in range(repeat):
        args = argv
        if fresh_dir is not None:  # a cold build: a new, empty output folder each time
            out = fresh_dir / f"cold-{i}"
            args = [*argv, str(out)]
        start = time.perf_counter()
        done = subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            sys.exit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr.decode()}")
        if fresh_dir is not None and i < repeat - 1:
            shutil.rmtree(out)  # the last one stays: the warm build rebuilds it
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--meetings", type=int, default=10_000)
    ap.add_argument("--groups", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--keep", type=Path, help="generate the archive in DIR/records and leave it there")
    ap.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    a = ap.parse_args()
    if a.repeat < 1 or a.groups < 1 or a.meetings < a.groups:
        ap.error("need --repeat >= 1 and --meetings >= --groups >= 1")
    if a.keep and (a.keep / "records").exists():
        sys.exit(f"{a.keep / 'records'} already exists: give an empty or new --keep folder")
    work = Path(tempfile.mkdtemp(prefix="rencontres-bench-"))
    records = (a.keep.resolve() if a.keep else work) / "records"
    try:
        start = time.perf_counter()
        generate(records, a.meetings, a.groups)
        size = sum(p.stat().st_size for p in records.rglob("*.toml"))
        print(f"generated {a.meetings} meetings in {a.groups} groups ({size / 1e6:.1f} MB) "
              f"in {time.perf_counter() - start:.1f} s: {records}", file=sys.stderr)
        rc = [CLI, "--records", str(records)]
        check = subprocess.run([*rc, "check"], capture_output=True, text=True, cwd=work)
        summary = check.stderr.strip().splitlines()[-1]
        if check.returncode != 0 or " 0 errors" not in summary:
            sys.exit(f"the generated archive does not pass `rencontres check`:\n{check.stderr[-2000:]}")
        print(f"rencontres check: {summary}", file=sys.stderr)
        warm = work / f"cold-{a.repeat - 1}"  # the last cold build's site
        group = "groupe-01"
        plan = [  # name, argv, floor it is compared with
            ("floor A: python -c pass", [PY, "-c", "pass"], None),
            ("floor B: import typer", [PY, "-c", "import typer"], "floor A: python -c pass"),
            ("rencontres --help", [CLI, "--help"], "floor B: import typer"),
            ("floor C: tomllib every file", [PY, "-c", FLOOR_C, str(records)], "floor A: python -c pass"),
            ("check", [*rc, "check"], "floor C: tomllib every file"),
            ("list --json", [*rc, "list", "--json"], "floor C: tomllib every file"),
            ("floor C1: tomllib one group", [PY, "-c", FLOOR_C, str(records / group)],
             "floor A: python -c pass"),
            (f"index {group}", [*rc, "index", group], "floor C1: tomllib one group"),
            (f"calendar {group}", [*rc, "calendar", group], "floor C1: tomllib one group"),
            ("build (cold)", [*rc, "build", "-o"], "floor C: tomllib every file"),
            ("build (warm)", [*rc, "build", "-o", str(warm)], "floor C: tomllib every file"),
        ]
        results: dict[str, dict] = {}
        print(f"\n{'command':<30} {'best s':>8} {'median s':>9}  ratio (best/best of floor)", flush=True)
        for name, argv, floor in plan:
            times = timed(argv, work, a.repeat, work if name == "build (cold)" else None)
            row = {"best": min(times), "median": statistics.median(times), "floor": floor,
                   "times": times}
            if floor:
                row["ratio"] = row["best"] / results[floor]["best"]
            results[name] = row
            ratio = f"{row['ratio']:6.2f} × {floor.split(':')[0].removeprefix('floor ')}" if floor else ""
            print(f"{name:<30} {row['best']:8.3f} {row['median']:9.3f}  {ratio}", flush=True)
        per = results["build (cold)"]["best"] / a.meetings * 1000
        print(f"\nbuild (cold): {per:.2f} ms per record (3 formats each); "
              f"{sum(p.is_file() for p in warm.rglob('*'))} files in the site")
        if a.json:
            a.json.write_text(json.dumps({"meetings": a.meetings, "groups": a.groups, "repeat": a.repeat,
                                          "python": sys.version.split()[0], "build_ms_per_record": per,
                                          "results": results}, indent=2) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

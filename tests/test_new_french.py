"""`new` in French (issue 27): under `LANG=fr_FR.UTF-8`, the session's prompts, re-asks, review
and summary are the tool's French voice; the record written is the one the same answers write
in English, byte for byte (what goes into a record never follows the locale), and its draft
keeps the questions in English, so that it resumes whatever the locale.

The secretary completes the 4th meeting of the shipped group in a pseudo-terminal, as in
`test_new_terminal.py` (whose helpers run it), typing what a person types: a bad date, a bad
attendance letter, the open actions reviewed, a vote, an action, the next meeting.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from conftest import SHIPPED
from test_new_terminal import MEMBERS, Terminal

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

ATTENDANCE = {"Yamina Mouloudj": "e", "Pierre Levy": "a"}

# (the French prompt, what is typed), in the order `new ramsess` asks them
SESSION = [
    (r"Date \(AAAA-MM-JJ\[THH:MM\], ou 16/01/2008 14h\) \[2008-01-16T14:00\] : ", "16/13/2008"),
    (r"Date \(AAAA-MM-JJ\[THH:MM\], ou 16/01/2008 14h\) \[2008-01-16T14:00\] : ",
     "16/01/2008 14h"),
    (r"Lieu \[Energie Alternative\] : ", ""),
    (r"Adresse \[52, La Cannebière\] : ", ""),
    (r"Fin \(HH:MM, vide : aucune\) : ", "17h"),
    (r"Repère : une ligne ou plusieurs \(une ligne vide termine\), « e » pour votre éditeur, "
     r"vide : aucun : ", "Deuxième séance sur le support commun."),
    (r"  … : ", ""),
    (rf"{MEMBERS[0]} / [^\n]* : \[p\]résent, \[e\]xcusé, \[a\]bsent \[p\] : ", "x"),
    *[(rf"{name} / [^\n]* : \[p\]résent, \[e\]xcusé, \[a\]bsent \[p\] : ",
       ATTENDANCE.get(name, "p")) for name in MEMBERS],
    (r"Un autre participant \(« Nom / Structure <courriel> », vide : fini\) : ",
     "Zoé Martin / Apeas"),
    (r"Un autre participant .* : ", ""),
    (r"Sandrine Delrieu : Travailler .* — \[o\] en cours, \[d\] faite, \[r\] abandonnée \[o\] : ",
     "d"),
    (r"Tous les participants\W+réfléchir .* \[o\] : ", "o"),
    (r"Nouvelle échéance \(AAAA-MM-JJ, vide : garder 2008-01-16\) : ", "2008-02-27"),
    (r"Point d’étape \(vide : aucun\) : ", "trois fiches sur cinq"),
    (r"Philippe Oswald : Transmettre .* \[o\] : ", "r"),
    (r"Décision \(vide : fini\) : ", ""),
    (r"Responsable d’une action \(1 Marie-ange Favre, .* ; un numéro ou un nom ; vide : plus "
     r"d’action\) : ", ""),
    (r"Titre du point \(vide : fini\) : ", "Support commun"),
    (r"Texte de « Support commun » : une ligne ou plusieurs .* : ", "La maquette est présentée."),
    (r"  … : ", ""),
    (r"Décision \(vide : fini\) : ", "La maquette est adoptée."),
    (r"Vote \(u : unanimité / pour, contre, abstentions, p\. ex\. 4 0 1 / vide : pas de vote\) : ",
     "oui 5"),
    (r"Vote \(u : unanimité .*\) : ", "5 1 0"),
    (r"Décision \(vide : fini\) : ", ""),
    (r"Responsable d’une action \(1 Marie-ange Favre, .*\) : ", "6"),
    (r"Tâche : ", "Envoyer la maquette au groupe"),
    (r"Échéance \(AAAA-MM-JJ, vide : aucune\) : ", "2008-02-30"),
    (r"Échéance \(AAAA-MM-JJ, vide : aucune\) : ", "2008-02-20"),
    (r"Responsable d’une action .* : ", ""),
    (r"Titre du point \(vide : fini\) : ", ""),
    (r"Prochaine rencontre \(AAAA-MM-JJTHH:MM, « \? » : date à fixer, vide : aucune\) : ",
     "12 mai 2009 14h"),
    (r"Lieu de la prochaine rencontre \[Energie Alternative\] : ", "LaPlateforme"),
    (r"Adresse de la prochaine rencontre : ", "3, rue de la Coopération"),
    (r"Point de l’ordre du jour de la prochaine rencontre \(vide : fini\) : ",
     "Support commun : suite"),
    (r"Point de l’ordre du jour de la prochaine rencontre \(vide : fini\) : ", ""),
]
REVIEW = r"écrire \(w\) / changer la réponse N \(c N\) / abandonner \(d\) \[w\] : "
RECORD = Path("ramsess") / "2008-01-16.toml"


def _copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copytree(SHIPPED, target)
    return target


def test_new_in_french_says_everything_in_french_and_writes_the_english_record(
        cli, tmp_path, state_folder):
    records = _copy(tmp_path, "fr")
    t = Terminal(["--records", str(records), "new", "ramsess"],
                 env={"LANG": "fr_FR.UTF-8", "LANGUAGE": ""})
    said = [t.answer(prompt, typed) for prompt, typed in SESSION]
    said.append(t.expect(REVIEW))  # the questions are over: the draft holds every answer
    kept = json.loads(next((state_folder / "drafts").glob("ramsess-*.json"))
                      .read_text(encoding="utf-8"))["answers"]
    os.write(t.master, b"w\r")
    assert t.finish() == 0, t.screen
    said.append(t.screen)
    screen = "".join(said)

    # the re-asks, in French
    assert "date '16/13/2008' : " in said[1] and "l’écrire sous la forme 16/01/2008 14h, " \
        "16 janvier 2008 à 14h30 ou 2008-01-16T14:00 — réessayer" in said[1]
    assert "'x' : pas une réponse possible" in said[8] and "taper p (présent), e (excusé) ou " \
        "a (absent) — réessayer" in said[8]
    assert "Point : Suivi des actions" in screen
    assert "vote 'oui 5' : " in screen and "taper u (unanimité)" in screen
    assert "échéance '2008-02-30' : " in screen
    # the review: the record (the group's words), then the numbered answers
    review = said[-2]
    for line in ("   1. Date : 16/01/2008 14h", "   2. Lieu : Energie Alternative",
                 "   5. Repère : Deuxième séance sur le support commun.", "   6. … : (vide)",
                 "   7. Marie-ange Favre / Energie Alternative : p",
                 "  15. Un autre participant : Zoé Martin / Apeas",
                 "  18. Tous les participants : o", "  19. Nouvelle échéance : 2008-02-27",
                 "  25. Texte de « Support commun » : La maquette est présentée.",
                 "  31. Tâche : Envoyer la maquette au groupe",
                 "  38. Point de l’ordre du jour de la prochaine rencontre : Support commun : "
                 "suite"):
        assert line + "\n" in review, line
    # the summary
    assert "ébauche " in said[-1] and "2008-01-16.toml complétée (ses lignes et commentaires " \
        "gardés)" in said[-1]
    for english in ("Venue", "empty:", "try again", "not an answer", "write it as",
                    "Topic", "write / change", "completed the stub", "(from the draft)"):
        assert english not in screen, english
    # the draft kept each question in English (it resumes in any language)
    assert [q for q, _a in kept[:5]] == [
        "Date (YYYY-MM-DD[THH:MM], or 16/01/2008 14h)", "Venue", "Address",
        "End (HH:MM, empty: none)",
        'Context ("Repère"): one line or several (an empty line ends it), "e" for your editor, '
        "empty: none"]

    # the same answers in English write the same record, byte for byte
    english = _copy(tmp_path, "en")
    run = cli("--records", english, "new", "ramsess", "--interactive",
              input="".join(f"{typed}\n" for _p, typed in SESSION) + "w\n")
    assert run.exit_code == 0, run.stdout + run.stderr
    assert "completed the stub" in run.stderr and "Venue [Energie Alternative]: " in run.stdout
    assert (records / RECORD).read_bytes() == (english / RECORD).read_bytes()
    assert (records / RECORD).read_bytes() != (SHIPPED / RECORD).read_bytes()

"""import, issue 22: the synthesis rendered from an imported record differs from the article's
body only on the lines the tool writes itself — the README names them (`REGENERATED`)."""

from __future__ import annotations

import re

from conftest import DATA
from rencontres.importer import reader

SEED = DATA / "import" / "000_44f011bbe45605fa.txt"

# The lines `render` writes itself, each as the README's import section names it.
REGENERATED = {
    "the title, with its date in the page": re.compile(r"^(?:\d{4}/\d\d/\d\d\. )?Synthèse de la "
                                                       r"\d+ème rencontre$"),
    '"mis en ligne le …"': re.compile(r"^mis en ligne le "),
    'the participants line ("Participants :")': re.compile(r"^Participants : "),
    "the summary of the sections (their numbering)": re.compile(r"^[IVX]+ [A-ZÉ]"),
    'the heading "Prochaine rencontre"': re.compile(r"^Prochaine rencontre$"),
    "the next-meeting sentence": re.compile(r"^Le prochain atelier de travail est fixé au "),
    'the keywords line ("Mots clefs de l’article :")': re.compile(r"^Mots clefs de l’article : "),
}


def _plain(line: str) -> str:
    """A line of Markdown as a reader sees it: no markup, no escapes."""
    line = re.sub(r"^(?:#+ |- )", "", line).replace("**", "").removesuffix("\\")
    return " ".join(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", line).split())


def test_the_rendered_synthesis_differs_only_on_the_lines_the_tool_writes(cli, tmp_path):
    records = tmp_path / "records"
    records.mkdir()
    assert cli("--records", records, "import", "--group", "ramsess", SEED).exit_code == 0
    rendered = cli("--records", records, "render", "ramsess/2007-11-22").stdout
    text = SEED.read_text(encoding="utf-8")
    body = [" ".join(line.plain.split()) for line in reader.parts(text).body
            if line.plain.strip()]
    out = [p for p in map(_plain, rendered.splitlines()) if p]
    differing = [p for p in body if p not in out] + [p for p in out if p not in body]
    used = set()
    for line in differing:
        kinds = [k for k, pattern in REGENERATED.items() if pattern.search(line)]
        assert kinds, f"differs, and is no line the tool writes: {line!r}"
        used.update(kinds)
    assert used == set(REGENERATED)  # each kind occurs: the list is exact
    assert len(differing) <= 12
    # every line of the article's own text (its sections, Repère, subtitle, annex) is there
    assert sum(p in out for p in body) >= len(body) - 6


def test_the_readme_names_the_lines_the_synthesis_writes():
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Bringing an existing SPIP section in"):]
    section = " ".join(section[:section.index("\n## ", 5)].split())
    for words in ('"Participants :"', '"Repère :"', '"mis en ligne le …"', "the participants line",
                  "the next-meeting sentence", "the summary of the sections", "the keywords line",
                  '"Prochaine rencontre"', "the title"):
        assert words in section, words

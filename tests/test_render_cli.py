"""`rencontres render`: formats, languages, -o, --text-only, errors, start-up imports."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import snapshot
from rencontres.core import errors
from render_support import HOSTILE, SHIPPED, Tags, md_outline


def test_default_is_markdown_in_the_group_language(cli):
    result = cli("--records", SHIPPED, "render", "ramsess/2007-11-22")
    assert result.exit_code == 0 and result.stderr == ""
    assert ("h1", "Synthèse de la 3ème rencontre") in md_outline(result.stdout)
    assert "mercredi 16 janvier 2008 à 14h00" in result.stdout


def test_record_as_a_path_and_as_a_date(cli):
    by_path = cli("--records", SHIPPED, "render", SHIPPED / "ramsess" / "2007-11-22.toml")
    by_date = cli("--records", SHIPPED, "render", "2007-11-22")
    assert by_path.exit_code == by_date.exit_code == 0
    assert by_path.stdout == by_date.stdout


def test_english(cli):
    result = cli("--records", SHIPPED, "render", "ramsess/2007-11-22", "--lang", "en",
                 "--format", "html")
    assert result.exit_code == 0
    assert '<html lang="en">' in result.stdout
    assert "Wednesday 16 January 2008 at 2:00 pm" in Tags(result.stdout).data


def test_spip_text_only_is_the_texte_field(cli):
    full = cli("--records", SHIPPED, "render", "ramsess/2007-11-22", "-f", "spip").stdout
    texte = cli("--records", SHIPPED, "render", "ramsess/2007-11-22", "-f", "spip",
                "--text-only").stdout
    assert "=====" not in texte
    assert texte.startswith("{{Synthèse de la rencontre du 22 novembre 2007}}\n\n")
    assert f"===== Texte =====\n{texte}\n===== Mots-clés =====\n" in full
    assert full.startswith("===== Surtitre =====\nArticulation des pratiques")
    assert "\n===== Titre =====\nSynthèse de la 3ème rencontre\n" in full


def test_text_only_needs_spip(cli, records):
    before = snapshot(records)
    result = cli("--records", records, "render", "ramsess/2007-11-22", "--text-only")
    assert result.exit_code == errors.UsageError.exit_code
    assert result.stdout == ""
    assert result.stderr.startswith("error: --text-only goes with --format spip")
    assert snapshot(records) == before


def test_output_file(cli, records, tmp_path):
    target = tmp_path / "synthese.md"
    result = cli("--records", records, "render", "ramsess/2007-11-22", "-o", target)
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text(encoding="utf-8") == cli(
        "--records", records, "render", "ramsess/2007-11-22").stdout


def test_unknown_record_and_bad_format(cli, records):
    before = snapshot(records)
    missing = cli("--records", records, "render", "ramsess/2001-01-01")
    assert missing.exit_code == errors.NotFound.exit_code
    assert missing.stderr.count("\n") == 1 and missing.stdout == ""
    bad = cli("--records", records, "render", "ramsess/2007-11-22", "--format", "pdf")
    assert bad.exit_code != 0 and bad.stdout == ""
    assert snapshot(records) == before


def test_same_bytes_whatever_the_locale_and_clock(cli):
    here = cli("--records", HOSTILE, "render", "hostile/2024-03-01", "-f", "html").stdout
    env = dict(os.environ, LC_ALL="C", LANG="C", TZ="Pacific/Kiritimati", PYTHONIOENCODING="utf-8")
    there = subprocess.run(
        [sys.executable, "-m", "rencontres", "--records", str(HOSTILE), "render",
         "hostile/2024-03-01", "-f", "html"],
        capture_output=True, env=env, check=True).stdout
    assert there == here.encode("utf-8")


def test_render_imports_neither_icalendar_nor_anything_at_help(tmp_path):
    code = (
        "import sys\n"
        "from rencontres.cli import main\n"
        "sys.argv = ['rencontres'] + sys.argv[1:]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('icalendar', 'markdown_it') if m in sys.modules),"
        " file=sys.stderr)\n"
    )
    def imported(*args):
        done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                              text=True, check=True)
        return done.stderr.strip().splitlines()[-1]

    from rencontres.render.text import _fast_events

    # markdown-it-py only where pulldown-cmark is missing (or hands a text over)
    assert imported("--records", str(SHIPPED), "render", "ramsess/2007-11-22") == \
        ("[]" if _fast_events() is not None else "['markdown_it']")
    assert imported("--help") == "[]"


def test_an_article_stub_renders_as_what_it_is(cli):
    from conftest import SHIPPED

    text = cli("--records", SHIPPED, "render", "ramsess/2008-01-16-2").stdout
    assert text.startswith("# Vos avis sur le développement du site de LaPlateforme")
    assert "**mercredi 16 janvier 2008**" in text and "Pas encore transcrit" in text
    assert "Synthèse de la rencontre" not in text and "Annexe" not in text
    meeting_stub = cli("--records", SHIPPED, "render", "ramsess/2009-02-17", "--lang", "en").stdout
    assert "Minutes of the meeting of 17 February 2009" in meeting_stub
    assert "Not transcribed yet" in meeting_stub and "Annex" not in meeting_stub

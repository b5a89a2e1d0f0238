"""publish (issue 26): the synthesis as an article of the group's rubrique, created and then
updated through SPIP's own private area — a real SPIP 4.3.5 (../shared/tools/spip-engine)
served on 127.0.0.1, prepared by tests/data/spip-publish/setup.php with SPIP's own API (the
group's rubriques, two of its three keywords, a rédacteur). Each check reads SPIP back: its
database, and its public page through its own templates."""

from __future__ import annotations

import contextlib
import html
import http.server
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import threading
import tomllib
import urllib.request
from pathlib import Path

import pytest

from conftest import DATA, ROOT

ADMIN, ADMIN_PASS = "admin", "localtest123"  # the local test site's, made by setup.sh
REDAC, REDAC_PASS = "redac", "redac-pass-123"  # made by setup.php
RECORD = "ramsess/2008-02-27"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tools() -> tuple[Path, Path]:
    root = os.environ.get("RENCONTRES_SPIP_ROOT")
    tools = Path(os.environ.get("RENCONTRES_SPIP_TOOLS") or
                 ROOT.parent / "shared" / "tools" / "spip-engine")
    if not root or not shutil.which("php") or not (tools / "serve.sh").is_file() or \
            not shutil.which("curl"):
        pytest.skip("SPIP 4.3.5 is not set up here (RENCONTRES_SPIP_ROOT, php, curl: see "
                    "../shared/tools/spip-engine and .ci/run)")
    return Path(root), tools


class Spip:
    def __init__(self, folder: Path, port: int, tools: Path) -> None:
        self.folder, self.port, self.tools = folder, port, tools
        self.url = f"http://127.0.0.1:{port}/"

    def db(self) -> sqlite3.Connection:
        return sqlite3.connect(self.folder / "config" / "bases" / "spip.sqlite")

    def articles(self) -> list[tuple]:
        with self.db() as db:
            rows = db.execute("SELECT id_article, surtitre, titre, texte, statut, id_rubrique "
                              "FROM spip_articles ORDER BY id_article").fetchall()
        db.close()
        return rows

    def keywords(self, article: int) -> list[str]:
        with self.db() as db:
            rows = db.execute("SELECT m.titre FROM spip_mots_liens l JOIN spip_mots m ON "
                              "m.id_mot = l.id_mot WHERE l.objet = 'article' AND l.id_objet = ? "
                              "ORDER BY m.titre", (article,)).fetchall()
        db.close()
        return [r[0] for r in rows]

    def public_text(self, article: int) -> str:
        """The visible text of the article's Texte on its public page (SPIP's templates)."""
        with urllib.request.urlopen(f"{self.url}spip.php?page=article&id_article={article}",
                                    timeout=30) as page:
            text = page.read().decode("utf-8")
        return _visible(_div(text, "texte"))

    def propre(self, texte: str) -> str:
        done = subprocess.run(["php", str(self.tools / "propre.php"), "-"], input=texte,
                              capture_output=True, text=True, check=True,
                              env={**os.environ, "SPIP_ROOT": str(self.folder)})
        return _visible(done.stdout)


def _div(page: str, name: str) -> str:
    """The inside of the page's first <div> whose classes include `name` (nested divs
    counted)."""
    start = re.search(rf'<div class="(?:[^"]* )?{name}(?: [^"]*)?"[^>]*>', page)
    assert start, f"no <div class=\"{name}\"> on the page"
    depth, at = 1, start.end()
    for tag in re.finditer(r"<(/?)div\b[^>]*>", page[at:]):
        depth += -1 if tag[1] else 1
        if depth == 0:
            return page[at:at + tag.start()]
    raise AssertionError(f"<div class=\"{name}\"> is not closed")


def _visible(fragment: str) -> str:
    fragment = re.sub(r"<span class=\"spip_note_ref\">.*?</span>", "", fragment, flags=re.S)
    fragment = re.sub(r"<[^>]+>", " ", fragment)
    return " ".join(html.unescape(fragment).split())


@pytest.fixture
def spip(tmp_path):
    root, tools = _tools()
    folder = tmp_path / "spip"
    shutil.copytree(root, folder, symlinks=True)
    made = subprocess.run(["php", str(DATA / "spip-publish" / "setup.php")], capture_output=True,
                          text=True, env={**os.environ, "SPIP_ROOT": str(folder)})
    assert made.returncode == 0 and made.stdout.startswith("ok"), made.stdout + made.stderr
    port = _free_port()
    served = subprocess.run(["bash", str(tools / "serve.sh"), str(folder), str(port)],
                            capture_output=True, text=True)
    assert served.returncode == 0, served.stderr
    pid = int(served.stdout.strip())
    yield Spip(folder, port, tools)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, 15)


@pytest.fixture
def account(monkeypatch):
    def use(url: str, login: str = ADMIN, password: str = ADMIN_PASS) -> None:
        monkeypatch.setenv("RENCONTRES_SPIP_URL", url)
        monkeypatch.setenv("RENCONTRES_SPIP_LOGIN", login)
        monkeypatch.setenv("RENCONTRES_SPIP_PASSWORD", password)
    return use


def _state(records: Path) -> dict:
    return tomllib.loads((records / "ramsess" / "state.toml").read_text(encoding="utf-8"))


def test_publish_correct_publish_again_one_article(cli, records, spip, account):
    account(spip.url)
    run = cli("--records", records, "publish", RECORD, "--status", "publie")
    assert run.exit_code == 0, run.stderr
    [(number, surtitre, titre, texte, statut, rubrique)] = spip.articles()
    assert run.stdout == f"{RECORD}: article {number}, published: {spip.url}spip.php?article" \
                         f"{number}\n"
    rendered = cli("--records", records, "render", RECORD, "--format", "spip").stdout
    fields = dict(re.findall(r"===== (.+?) =====\n(.*?)(?=\n===== |\Z)", rendered, re.S))
    assert titre == fields["Titre"].strip() and texte == fields["Texte"].rstrip("\n")
    assert statut == "publie" and rubrique == 3  # "01. Les rencontres…", found by its path
    assert spip.keywords(number) == ["Accompagnement création / développement d’activités",
                                     "Agenda LaPlateforme"]
    assert "'Gr Them - Entreprendre au collectif': not on the site" in run.stderr
    # what a reader sees on the site is what SPIP's propre() makes of our Texte
    assert spip.public_text(number) == spip.propre(texte)

    path = records / "ramsess" / "2008-02-27.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'title = "Synthèse de la 5ème rencontre"', 'title = "Synthèse de la cinquième rencontre"'),
        encoding="utf-8")
    assert cli("--records", records, "publish", RECORD, "--status", "publie").exit_code == 0
    again = cli("--records", records, "publish", RECORD, "--status", "publie")
    assert again.exit_code == 0 and again.stdout == f"{RECORD}: article {number}: up to date\n"
    [(same, _, titre, _, statut, _)] = spip.articles()  # one article, updated once
    assert same == number and titre == "Synthèse de la cinquième rencontre"
    assert _state(records)["published"]["2008-02-27"]["article"] == number


def test_an_edit_on_the_site_stops_the_next_publish_until_force(cli, records, spip, account):
    account(spip.url)
    assert cli("--records", records, "publish", RECORD).exit_code == 0
    with spip.db() as db:  # someone corrects the article in SPIP
        db.execute("UPDATE spip_articles SET texte = texte || ?", ("\r\n\r\nCorrigé sur le site.",))
    db.close()
    path = records / "ramsess" / "2008-02-27.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("5ème", "cinquième"),
                    encoding="utf-8")
    run = cli("--records", records, "publish", RECORD)
    assert run.exit_code == 4
    assert "-Corrigé sur le site." in run.stdout  # the difference, the site's text first
    assert "was edited on the site since it was last published" in run.stderr
    assert "Corrigé sur le site." in spip.articles()[0][3]  # untouched
    pulled = cli("--records", records, "publish", RECORD, "--pull")
    assert pulled.exit_code == 0
    assert "Corrigé sur le site." in (records / "ramsess" / "2008-02-27.site.spip").read_text(
        encoding="utf-8")
    forced = cli("--records", records, "publish", RECORD, "--force")
    assert forced.exit_code == 0, forced.stderr
    [(_, _, titre, texte, _, _)] = spip.articles()
    assert "Corrigé sur le site." not in texte and "cinquième" in titre


def test_a_redacteur_proposes_and_an_administrator_publishes(cli, records, spip, account):
    account(spip.url, REDAC, REDAC_PASS)
    run = cli("--records", records, "publish", RECORD, "--status", "publie")
    assert run.exit_code == 0, run.stderr
    assert "publishing needs an administrator of the rubrique: the article stays proposed" \
        in run.stderr
    [(number, *_, statut, _)] = spip.articles()
    assert statut == "prop"
    account(spip.url)
    assert cli("--records", records, "publish", RECORD, "--status", "publie").exit_code == 0
    assert spip.articles()[0][4] == "publie"
    # the rédacteur may no longer modify it: said, and never a second article
    path = records / "ramsess" / "2008-02-27.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("5ème", "cinquième"),
                    encoding="utf-8")
    account(spip.url, REDAC, REDAC_PASS)
    run = cli("--records", records, "publish", RECORD)
    assert run.exit_code == 4 and "needs an administrator of the rubrique" in run.stderr
    assert len(spip.articles()) == 1


@pytest.mark.parametrize("case", ["wrong password", "missing rubrique"])
def test_refusals_are_one_line_and_change_nothing(cli, records, spip, account, case):
    account(spip.url, password="not-the-password" if case == "wrong password" else ADMIN_PASS)
    if case == "missing rubrique":
        group = records / "ramsess" / "group.toml"
        group.write_text(group.read_text(encoding="utf-8").replace(
            '"Les rencontres de ce groupe de travail"', '"Les réunions"'), encoding="utf-8")
    run = cli("--records", records, "publish", RECORD)
    says = {"wrong password": "SPIP refused the login 'admin' (wrong login or password)",
            "missing rubrique": "no rubrique Groupes de travail / Ramsess / Les réunions on the "
                                "site"}[case]
    assert run.exit_code == (6 if case == "wrong password" else 2)
    assert says in run.stderr and len(run.stderr.strip().splitlines()) == 1
    assert "not-the-password" not in run.stdout + run.stderr
    assert spip.articles() == [] and not (records / "ramsess" / "state.toml").exists()


class _Proxy(http.server.ThreadingHTTPServer):
    """Forwards to SPIP; while `cut_after_create`, every request after the one that created an
    article is dropped without an answer (the connection lost in the middle)."""

    cut_after_create = True
    created = False


class _Forward(http.server.BaseHTTPRequestHandler):
    target = ""

    def log_message(self, *args) -> None:
        pass

    def _forward(self) -> None:
        server = self.server
        assert isinstance(server, _Proxy)
        if server.cut_after_create and server.created:
            self.connection.close()  # no answer at all
            return
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) or None
        request = urllib.request.Request(self.target + self.path.lstrip("/"), data=body,
                                         method=self.command)
        for name in ("Cookie", "Content-Type"):
            if self.headers.get(name):
                request.add_header(name, self.headers[name])

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *a, **k):
                return None
        try:
            answer = urllib.request.build_opener(NoRedirect).open(request, timeout=30)
        except urllib.error.HTTPError as error:
            answer = error
        data = answer.read()
        location = answer.headers.get("Location", "")
        if self.command == "POST" and "exec=article&id_article=" in location:
            server.created = True
        self.send_response(answer.status if hasattr(answer, "status") else answer.code)
        for name, value in answer.headers.items():
            if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(name, value.replace(self.target, f"http://127.0.0.1:"
                                                     f"{server.server_address[1]}/"))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _forward


def test_a_connection_lost_after_creating_leaves_the_state_exact(cli, records, spip, account):
    _Forward.target = spip.url
    proxy = _Proxy(("127.0.0.1", 0), _Forward)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        account(f"http://127.0.0.1:{proxy.server_address[1]}/")
        run = cli("--records", records, "publish", RECORD, "--status", "publie")
        assert run.exit_code == 6 and "the connection was lost" in run.stderr, run.stderr
        [(number, *_)] = spip.articles()  # made, not completed
        entry = _state(records)["published"]["2008-02-27"]
        assert entry["article"] == number and entry["digest"] == ""
        proxy.cut_after_create = False  # the network is back: the next run completes it
        run = cli("--records", records, "publish", RECORD, "--status", "publie")
        assert run.exit_code == 0, run.stderr
        [(same, _, _, _, statut, _)] = spip.articles()
        assert same == number and statut == "publie"
    finally:
        proxy.shutdown()


def test_a_server_that_answers_500(cli, records, account):
    class Broken(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            self.send_error(500, "Internal Server Error")

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Broken)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        account(f"http://127.0.0.1:{server.server_address[1]}/")
        run = cli("--records", records, "publish", RECORD)
        assert run.exit_code == 6
        assert "the server answered 500" in run.stderr and len(run.stderr.splitlines()) == 1
    finally:
        server.shutdown()


def test_no_password_anywhere(cli, records, spip, account, tmp_path):
    account(spip.url)
    said = ""
    for args in ((), ("--status", "publie"), ("--dry-run",), ("--invitation",)):
        run = cli("--records", records, "publish", RECORD, *args)
        said += run.stdout + run.stderr
    account(spip.url, password="wrong-" + ADMIN_PASS)
    run = cli("--records", records, "publish", RECORD)
    said += run.stdout + run.stderr
    written = "".join(p.read_text(encoding="utf-8", errors="replace")
                      for p in records.rglob("*") if p.is_file())
    for secret in (ADMIN_PASS, "wrong-" + ADMIN_PASS):
        assert secret not in said and secret not in written


def test_dry_run_prints_the_fields_and_touches_nothing(cli, records, monkeypatch):
    monkeypatch.delenv("RENCONTRES_SPIP_URL", raising=False)
    run = cli("--records", records, "publish", RECORD, "--dry-run")
    assert run.exit_code == 0, run.stderr
    assert run.stdout.startswith("===== surtitre =====") or \
        run.stdout.startswith("===== titre =====")
    assert "===== texte =====" in run.stdout and "nothing was sent" in run.stderr
    assert not (records / "ramsess" / "state.toml").exists()


def test_the_invitation_article(cli, records, spip, account):
    account(spip.url)
    run = cli("--records", records, "publish", "ramsess/2007-11-22", "--invitation")
    assert run.exit_code == 0, run.stderr
    [(number, surtitre, titre, texte, *_)] = spip.articles()
    assert titre.endswith("rencontre du groupe - Invitation") and surtitre
    assert "Ordre du jour" in texte or "-#" in texte or "-*" in texte
    assert "2007-11-22#invitation" in _state(records)["published"]


def test_a_record_that_names_its_article_needs_force_the_first_time(cli, records, spip,
                                                                   account):
    account(spip.url)
    assert cli("--records", records, "publish", "ramsess/2008-04-25").exit_code == 0
    [(number, *_)] = spip.articles()  # an article on the site, not this record's text
    path = records / "ramsess" / "2008-02-27.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "\ntitle =", f"\nspip_article = {number}\ntitle =", 1), encoding="utf-8")
    run = cli("--records", records, "publish", RECORD)
    assert run.exit_code == 4
    assert f"article {number} differs from what the record gives (never published from here)" \
        in run.stderr
    assert run.stdout.startswith("--- titre (on the site)")
    assert cli("--records", records, "publish", RECORD, "--force").exit_code == 0
    assert len(spip.articles()) == 1 and "5ème" in spip.articles()[0][2]


def test_all_publishes_every_record_not_yet_published(cli, records, spip, account):
    account(spip.url)
    run = cli("--records", records, "publish", "ramsess", "--all")
    assert run.exit_code == 0, run.stderr
    transcribed = [p.stem for p in sorted((records / "ramsess").glob("2*.toml"))
                   if "Known only from" not in p.read_text(encoding="utf-8")]
    assert len(spip.articles()) == len(transcribed) == len(
        _state(records)["published"])
    assert f"{len(transcribed)} of {len(transcribed)} record(s) published to {spip.url}" \
        in run.stderr
    again = cli("--records", records, "publish", "ramsess", "--all")
    assert "0 of 0 record(s) published" in again.stderr and len(spip.articles()) == \
        len(transcribed)

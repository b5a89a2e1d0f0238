"""The site in a real browser: headless Chromium (Debian's `chromium` and `chromium-driver`)
driven by selenium, axe-core (npm, in tests/readers) run in each page.

From `file://`: the plan, a group page, a synthesis, a keyword page and a register load
with no console error, axe finds no violation of impact serious or critical under the
WCAG 2.0/2.1 A and AA tags, nothing is wider than a phone at 390 px, print shows the
article alone, and the search box is one line saying how to serve the folder. Served by
`rencontres serve`: a French query finds its stemmed word, and a saved record is built
again. Screenshots at 1200 and 390 px are kept in the test's tmp folder (paths printed).
Without Chromium, its driver, selenium or axe-core these tests skip, saying which is
missing; under CI=true they fail (`.ci/readers.sh` installs them)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import make_group
from ical_readers import unavailable

HERE = Path(__file__).parent
SHIPPED = HERE.parent / "records"
AXE = HERE / "readers" / "node_modules" / "axe-core" / "axe.min.js"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
PAGES = ("index.html", "ramsess/index.html", "ramsess/2007-11-22.html",
         "ramsess/mot/agenda-laplateforme.html", "ramsess/attendance.html",
         "ramsess/2009-02-17.html")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _missing() -> str:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install '.[test]')"
    if not Path(DRIVER).is_file() or not (shutil.which("chromium") or
                                          shutil.which("chromium-browser")):
        return "Chromium or its driver is missing (apt-get install chromium chromium-driver)"
    if not AXE.is_file():
        return f"axe-core is missing: {AXE} (npm ci in tests/readers)"
    return ""


@pytest.fixture(scope="module")
def browser():
    reason = _missing()
    if reason:
        unavailable(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--lang=fr-FR"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def _build(records: Path, site: Path, *extra: str) -> None:
    done = subprocess.run([sys.executable, "-m", "rencontres", "--records", str(records), "build",
                           "-o", str(site), *extra], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def shots(tmp_path_factory, request):
    folder = tmp_path_factory.mktemp("screenshots")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    taken: list[Path] = []
    yield folder, taken
    for path in taken:
        line = f"screenshot: {path}"
        if reporter is not None:
            reporter.write_line(line)
        else:
            print(line)


def _errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _axe(driver, tags: list[str] = TAGS) -> list[str]:
    """axe's violations of impact serious or critical under `tags`."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, preload: false})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.map(n => n.target.join(' '))})))).catch(e => done([{id: String(e),"
        " impact: 'critical', nodes: []}]));", tags)
    return [f"{v['id']} ({v['impact']}): {v['nodes'][:3]}" for v in result
            if v["impact"] in ("serious", "critical")]


def _screenshot(driver, name: str, shots) -> None:
    folder, taken = shots
    for width in (1200, 390):
        driver.set_window_size(width, 900)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, min(max(height, 600), 4000))
        path = folder / f"{name}-{width}.png"
        driver.save_screenshot(str(path))
        taken.append(path)
        if width == 390:  # a phone: one column, nothing wider than the screen
            assert driver.execute_script(
                "return document.documentElement.scrollWidth <= window.innerWidth"), name


# The README's images: RENCONTRES_README_SHOTS=docs/ makes them again (1200 × 900).
README_SHOTS = {"index.html": "site-index.png", "ramsess/2007-11-22.html": "site-synthesis.png"}


def _readme_shot(driver, rel: str) -> None:
    folder = os.environ.get("RENCONTRES_README_SHOTS")
    if folder and rel in README_SHOTS:
        driver.set_window_size(1200, 900)
        driver.execute_script("window.scrollTo(0, 0)")
        driver.save_screenshot(str(Path(folder) / README_SHOTS[rel]))


def test_pages_from_the_disk_have_no_error_and_no_serious_axe_violation(
        browser, shots, tmp_path_factory):
    site = tmp_path_factory.mktemp("file-site") / "site"
    _build(SHIPPED, site, "--no-search")
    _build(SHIPPED, site / "searchable", "--search") if _pagefind() else None
    for rel in PAGES:
        browser.set_window_size(1200, 900)
        browser.get((site / rel).as_uri())
        assert browser.execute_script("return document.readyState") == "complete"
        assert _errors(browser) == [], rel
        assert _axe(browser) == [], rel
        assert _errors(browser) == [], rel  # axe itself, with preload false, logs nothing
        _screenshot(browser, rel.replace("/", "_").removesuffix(".html"), shots)
        _readme_shot(browser, rel)
    if _pagefind():  # a site with search, opened from the disk: one line, no failing import
        for rel in ("ramsess/2007-11-22.html", "search.html"):
            browser.get((site / "searchable" / rel).as_uri())
            said = browser.find_element("css selector", "p.served").text
            assert "rencontres serve" in said
            assert browser.find_elements("css selector", "input[type=search]") == []
            assert _errors(browser) == [] and _axe(browser) == [], rel


def test_axe_finds_what_it_should(browser, tmp_path):
    """The check itself: a page without a language and a field without a label fails it."""
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><html><head><title>x</title></head><body><main>"
                    "<input type=search title=Rechercher></main></body></html>", encoding="utf-8")
    browser.get(page.as_uri())
    found = _axe(browser)
    assert [v.split()[0] for v in found] == ["html-has-lang"]
    assert any(v.startswith("label-title-only") for v in _all_axe(browser))


def _all_axe(driver) -> list[str]:
    """Every violation, best practices included, whatever its impact."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    return [v["id"] for v in driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {preload: false}).then(r => done(r.violations))")]


def test_print_shows_the_article_alone(browser, tmp_path):
    site = tmp_path / "site"
    _build(SHIPPED, site, "--no-search")
    browser.get((site / "ramsess/2007-11-22.html").as_uri())
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        shown = browser.execute_script(
            "return ['header', 'footer', 'aside', 'nav.around', 'article'].map("
            "s => getComputedStyle(document.querySelector(s)).display)")
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert shown == ["none", "none", "none", "none", "block"]


def _pagefind() -> bool:
    import importlib.util

    return importlib.util.find_spec("pagefind") is not None


@pytest.fixture
def served(tmp_path):
    """`rencontres serve --port 0` on a copy of the shipped records and an English group:
    (url, records, site, what serve said)."""
    if not _pagefind():
        unavailable("Pagefind is not installed (pip install '.[search]')")
    records, site = tmp_path / "records", tmp_path / "site"
    shutil.copytree(SHIPPED, records)
    make_group(records, "club", group='name = "The club"\nlanguage = "en"\n', **{
        "2026-01-15": 'date = 2026-01-15T18:30:00\n\n[[participants]]\nname = "Ana"\n\n'
                      '[[topics]]\ntitle = "Premises"\nbody = "We measured the rooms of the '
                      'town hall."\n'})
    proc = subprocess.Popen(
        [sys.executable, "-m", "rencontres", "--records", str(records), "serve", "--port", "0",
         "-o", str(site), "--interval", "0.2"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "NO_COLOR": "1"})
    said: list[str] = []
    try:
        url = ""
        deadline = time.monotonic() + 60
        while not url and time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            said.append(line)
            found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
            url = found.group(1) if found else ""
        assert url, f"serve did not start: {''.join(said)}"
        reader = threading.Thread(target=lambda: said.extend(proc.stderr), daemon=True)
        reader.start()  # what it says next (each build), kept for a failure's message
        yield url, records, site, said
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _wait(what, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = what()
        if got:
            return got
        time.sleep(0.2)
    return what()


def test_search_answers_a_french_query_when_served(browser, served, shots):
    url, _, _, _ = served
    browser.set_window_size(1200, 900)
    browser.get(url + "search.html?q=mesurerons")
    links = _wait(lambda: browser.find_elements("css selector", "#results li a"))
    assert links, browser.find_element("id", "status").text
    hrefs = [a.get_attribute("href") for a in links]
    assert url + "ramsess/2007-11-22.html" in hrefs
    excerpt = browser.find_element("css selector", "#results li p").get_attribute("innerHTML")
    assert "<mark>mesure" in excerpt.lower()
    assert _errors(browser) == []
    assert _axe(browser) == []
    assert "label-title-only" not in _all_axe(browser)  # Pagefind's Default UI fails it
    _screenshot(browser, "search-served", shots)
    # the search box of any page leads there
    browser.get(url + "ramsess/index.html")
    field = browser.find_element("css selector", "#search-form input[type=search]")
    label = browser.find_element("css selector", "#search-form label[for=q]")
    assert label.text and field.get_attribute("id") == "q"
    field.send_keys("mesurerons\n")
    assert _wait(lambda: browser.find_elements("css selector", "#results li a"))
    assert browser.current_url.startswith(url + "search.html?q=mesurerons")


def test_each_language_is_searched_in_its_own_index(browser, served):
    """English stems as English (`measuring` finds `measured`), from an English page's box."""
    url, _, site, _ = served
    entry = (site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8")
    assert '"fr"' in entry and '"en"' in entry
    browser.get(url + "club/2026-01-15.html")
    browser.find_element("css selector", "#search-form input[type=search]").send_keys(
        "measuring\n")
    links = _wait(lambda: browser.find_elements("css selector", "#results li a"))
    assert [a.get_attribute("href") for a in links] == [url + "club/2026-01-15.html"]
    assert browser.find_element("css selector", "html").get_attribute("lang") == "en"
    browser.get(url + "search.html?q=measuring&lang=fr")  # not in the French pages
    assert _wait(lambda: browser.find_element("id", "status").text == "Aucun résultat.")
    assert _errors(browser) == []


def test_a_saved_record_is_served_built_again(browser, served):
    url, records, _, said = served
    browser.get(url + "ramsess/2007-11-22.html")
    assert "Plusieurs questions devront" in browser.page_source
    path = records / "ramsess" / "2007-11-22.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Plusieurs questions devront", "Plusieurs questions vont"),
                    encoding="utf-8")

    def rebuilt() -> bool:
        browser.get(url + "ramsess/2007-11-22.html")
        return "Plusieurs questions vont" in browser.page_source

    assert _wait(rebuilt, 30), "".join(said)
    def found() -> list[str]:  # the search index is made again after the pages
        browser.get(url + "search.html?q=vont")
        _wait(lambda: browser.find_element("id", "status").text not in ("", "Recherche…"), 5)
        return [a.get_attribute("href")
                for a in browser.find_elements("css selector", "#results li a")]

    assert url + "ramsess/2007-11-22.html" in _wait(found, 60), "".join(said)

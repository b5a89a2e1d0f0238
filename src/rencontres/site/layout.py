"""What every page of the site shares: its head, breadcrumbs, search box, footer, style.

Every link is relative (`root` is the way back to the site's top from the page: "",
"../", "../../"), so the folder works from `file://`, below any path of a web server and
zipped. Only `rel=canonical` is absolute, and only when the site's address is known.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from rencontres.render.labels import LABELS

STYLE = """\
body { font: 17px/1.5 Georgia, "Times New Roman", serif; color: #1d1d1d; margin: 0;
  background: #fff; }
a { color: #0b4f9c; }
a:visited { color: #5b2c83; }
.skip { position: absolute; left: -999em; }
.skip:focus { left: 1em; top: 0.5em; background: #fff; padding: 0.2em 0.5em; }
header, main, footer { max-width: 44em; margin: 0 auto; padding: 0 1em; }
header { padding-top: 0.8em; border-bottom: 1px solid #ccc; }
.crumbs { list-style: none; margin: 0 0 0.6em; padding: 0; font-size: 0.92em; }
.crumbs li { display: inline; }
.crumbs li + li::before { content: " › "; color: #555; }
form[role=search] { margin: 0 0 0.8em; display: flex; flex-wrap: wrap; gap: 0.4em;
  align-items: center; }
form[role=search] input { font: inherit; padding: 0.2em 0.4em; min-width: 12em; flex: 1; }
form[role=search] button { font: inherit; }
.served { font-size: 0.92em; color: #444; margin: 0 0 0.8em; }
h1 { font-size: 1.6em; margin: 0.6em 0 0.6em; line-height: 1.25; }
h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.05em; }
.surtitre { font-style: italic; color: #444; margin-bottom: 0; }
.meta { color: #333; }
.stub-mark { font-style: italic; color: #555; }
.links { list-style: none; padding: 0; }
.links li { display: inline-block; margin: 0 1.2em 0.2em 0; }
blockquote { border-left: 3px solid #ccc; margin-left: 0; padding-left: 1em; color: #333; }
pre { white-space: pre-wrap; background: #f4f4f4; padding: 0.5em; }
table { border-collapse: collapse; margin: 0.6em 0; }
th, td { border-bottom: 1px solid #ddd; padding: 0.2em 0.6em; text-align: left; }
td.n, th.n { text-align: right; }
.table { overflow-x: auto; max-width: 100%; }
@media (max-width: 32em) { body { font-size: 16px; } th, td { padding: 0.2em 0.25em; }
  .table { font-size: 0.9em; } }
nav.around ul { list-style: none; padding: 0; }
aside { border-top: 2px solid #ccc; margin-top: 2em; }
[aria-current=page] { font-weight: bold; }
footer { border-top: 1px solid #ccc; margin-top: 2em; padding-bottom: 1.5em; font-size: 0.92em; }
footer ul { list-style: none; padding: 0; }
footer li { display: inline; margin-right: 1em; }
/* a wide screen: "Articles dans la même rubrique" beside the article, as SPIP shows it */
@media (min-width: 68em) {
  .wide header, .wide main, .wide footer { max-width: 66em; }
  .wide main { display: grid; grid-template-columns: minmax(0, 44em) minmax(0, 19em);
    column-gap: 2.5em; align-items: start; }
  .wide main > article, .wide main > nav.around { grid-column: 1; }
  .wide main > aside { grid-column: 2; grid-row: 1 / span 2; margin-top: 1em;
    font-size: 0.9em; border-top: 0; border-left: 2px solid #ccc; padding-left: 1em; }
  .wide main > aside ul { padding-left: 1.1em; }
}
@media print {
  body { font-size: 11pt; }
  header, footer, aside, nav.around, .skip, form[role=search], .served { display: none; }
  main, .wide main { max-width: none; margin: 0; padding: 0; display: block; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
}
"""  # i18n: CSS of the pages written

# On a page opened from the disk, Pagefind cannot load (the browser refuses its module
# there): the search box becomes one line telling how to serve the folder.
_FILE_SCRIPT = """<script>
if (location.protocol === "file:") {
  var f = document.getElementById("search-form"), p = document.createElement("p");
  p.className = "served"; p.textContent = f.getAttribute("data-served"); f.replaceWith(p);
}
</script>"""


@dataclass(frozen=True)
class Options:
    """How the site is built: its address (for `rel=canonical` and the feed), whether a
    search index is made (the search box is then on every page)."""

    base_url: str = ""
    search: bool = False

    def key(self) -> str:
        return f"{self.base_url}\0{self.search}"

    def absolute(self, rel: str) -> str:
        return self.base_url.rstrip("/") + "/" + rel if self.base_url else ""


DEFAULT = Options()


def esc(text: str) -> str:
    return escape(text, quote=True)


def crumbs(lang: str, trail: list[tuple[str, str]], current: str) -> str:
    """Breadcrumbs: (text, href or "") then the current page, marked as such."""
    items = [f'<li><a href="{esc(href)}">{esc(text)}</a></li>' if href
             else f"<li>{esc(text)}</li>" for text, href in trail]
    items.append(f'<li aria-current="page">{esc(current)}</li>')
    return (f'<nav aria-label="{esc(LABELS[lang]["crumbs"])}"><ol class="crumbs">'
            + "".join(items) + "</ol></nav>")


def search_box(lang: str, root: str, value: str = "") -> str:
    labels = LABELS[lang]
    return (f'<form id="search-form" role="search" action="{root}search.html" method="get" '
            f'data-served="{esc(labels["search_served"])}">'
            f'<label for="q">{esc(labels["search_field"])}</label> '
            f'<input type="search" id="q" name="q" value="{esc(value)}">'
            # Pagefind searches the index of the search page's language: this page's
            f'<input type="hidden" name="lang" value="{esc(lang)}">'
            f'<button type="submit">{esc(labels["search_button"])}</button></form>\n'
            + _FILE_SCRIPT)


def page(*, lang: str, title: str, site_name: str, root: str, rel: str, options: Options,
         trail: list[tuple[str, str]] | None, main: str, indexed: bool = False,
         footer_links: tuple[tuple[str, str], ...] = (), script: str = "",
         wide: bool = False) -> str:
    """A whole page. `trail`: the breadcrumbs above the page's own title (None: the top
    page, which has none); `indexed`: whether the search index reads this page; `wide`:
    its `aside` goes beside the article on a wide screen (a synthesis)."""
    labels = LABELS[lang]
    head_title = title if title == site_name else f"{title} — {site_name}"
    canonical = options.absolute(rel)
    head = (f'<link rel="canonical" href="{esc(canonical)}">\n' if canonical else "")
    top = crumbs(lang, trail, title) if trail is not None else ""
    box = search_box(lang, root) if options.search and rel != "search.html" else ""
    links = [(labels["site_map"], f"{root}index.html"), *footer_links]
    if options.search:
        links.append((labels["search"], f"{root}search.html"))
    foot = "".join(f'<li><a href="{esc(href)}">{esc(text)}</a></li>' for text, href in links)
    pagefind = " data-pagefind-body" if indexed else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(head_title)}</title>\n{head}"
        '<link rel="icon" href="data:,">\n'  # no icon: no request for /favicon.ico
        f"<style>\n{STYLE}</style>\n</head>\n"
        + ('<body class="wide">\n' if wide else "<body>\n") +
        f'<a class="skip" href="#main">{esc(labels["skip"])}</a>\n'
        + (f"<header>\n{top}\n{box}</header>\n" if top or box else "") +
        f'<main id="main"{pagefind}>\n{main}\n</main>\n'
        f'<footer><nav aria-label="{esc(labels["site_links"])}"><ul>{foot}</ul></nav></footer>\n'
        f"{script}</body>\n</html>\n"
    )


def link_list(items: list[str], cls: str = "") -> str:
    """`<ul>` of items already written as HTML."""
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>\n" + "".join(f"<li>{i}</li>\n" for i in items) + "</ul>"


def a(href: str, text: str, current: bool = False) -> str:
    mark = ' aria-current="page"' if current else ""
    return f'<a href="{esc(href)}"{mark}>{esc(text)}</a>'

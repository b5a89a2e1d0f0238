"""The top of the site: `index.html`, the plan of the site (SPIP's "Plan du site": every
group under its section path, each with its meetings newest first), and `search.html`.

The plan is made from each group's `meetings.json` (see `pages.listing`), so a build
that reads only the groups that changed still lists every group.
"""

from __future__ import annotations

from rencontres.core import words
from rencontres.render.labels import LABELS
from rencontres.site.layout import Options, a, esc, link_list, page
from rencontres.site.pages import entry_html, group_links


def site_language(listings: dict[str, dict]) -> str:
    """The groups' language when they share one, else French."""
    found = {d["language"] for d in listings.values()}
    return found.pop() if len(found) == 1 else "fr"


def plan_page(listings: dict[str, dict], options: Options) -> str:
    """Groups by the first step of their section (SPIP's top sections), then by the rest of
    it and their name; under each, its pages and its meetings, newest first."""
    lang = site_language(listings)
    labels = LABELS[lang]
    title = labels["site_map"]
    tops: dict[str, list[str]] = {}
    for slug, d in listings.items():
        tops.setdefault((d["section"] or [d["name"]])[0], []).append(slug)
    parts = [f"<h1>{esc(title)}</h1>"]
    for top in sorted(tops, key=lambda t: (words.sort_key(t), t)):
        parts.append(f"<h2>{esc(top)}</h2>")
        slugs = sorted(tops[top], key=lambda s: ([words.sort_key(x) for x in
                                                   listings[s]["section"]], s))
        for slug in slugs:
            d = listings[slug]
            glang = d["language"]
            parts.append(f"<h3>{a(f'{slug}/index.html', d['name'])}</h3>")
            if len(d["section"]) > 1:
                parts.append(f'<p class="surtitre">{esc(" › ".join(d["section"][1:]))}</p>')
            parts.append(link_list(group_links(slug, glang, options, f"{slug}/"), "links"))
            if d["meetings"]:
                parts.append(link_list([entry_html(item, f"{slug}/{item['stem']}.html", glang)
                                        for item in d["meetings"]]))
    return page(lang=lang, title=title, site_name=title, root="", rel="index.html",
                options=options, trail=None, main="\n".join(parts))


# The search page: Pagefind's own JavaScript API (not its Default UI, whose field has no
# label), loaded only when the page is served, never from the disk.
_SEARCH_SCRIPT = """<script>
(function () {
  var form = document.getElementById("search-page"), out = document.getElementById("results"),
      status = document.getElementById("status"), field = document.getElementById("q");
  if (location.protocol === "file:") {
    var p = document.createElement("p");
    p.className = "served"; p.textContent = form.getAttribute("data-served");
    form.replaceWith(p); return;
  }
  var params = new URLSearchParams(location.search), query = params.get("q") || "",
      lang = params.get("lang") || "";
  field.value = query;
  // the index searched is that of the page's language (Pagefind reads it from <html lang>):
  // the language of the page the search came from
  if (/^[a-z]{2}$/.test(lang)) {
    document.documentElement.lang = lang;
    var keep = document.createElement("input");
    keep.type = "hidden"; keep.name = "lang"; keep.value = lang; form.appendChild(keep);
  }
  if (!query.trim()) return;
  status.textContent = form.getAttribute("data-wait");
  var base = new URL(".", location.href).pathname;
  import("./pagefind/pagefind.js").then(async function (pagefind) {
    await pagefind.options({ baseUrl: base });
    var search = await pagefind.search(query);
    var found = await Promise.all(search.results.slice(0, 30).map(function (r) {
      return r.data(); }));
    status.textContent = found.length ? form.getAttribute("data-count")
      .replace("{n}", String(search.results.length)) : form.getAttribute("data-none");
    found.forEach(function (d) {
      var li = document.createElement("li"), link = document.createElement("a"),
          excerpt = document.createElement("p");
      link.href = d.url; link.textContent = (d.meta && d.meta.title) || d.url;
      excerpt.innerHTML = d.excerpt;
      li.appendChild(link); li.appendChild(excerpt); out.appendChild(li);
    });
  }, function () { status.textContent = form.getAttribute("data-missing"); });
})();
</script>
"""


def search_page(listings: dict[str, dict], options: Options) -> str:
    lang = site_language(listings)
    labels = LABELS[lang]
    data = {k: esc(labels[f"search_{k}"]) for k in ("served", "wait", "count", "none", "missing")}
    main = (f"<h1>{esc(labels['search'])}</h1>\n"
            f'<form id="search-page" role="search" action="search.html" method="get" '
            + " ".join(f'data-{k}="{v}"' for k, v in data.items()) + ">"
            f'<label for="q">{esc(labels["search_field"])}</label> '
            f'<input type="search" id="q" name="q">'
            f'<button type="submit">{esc(labels["search_button"])}</button></form>\n'  # i18n: markup
            '<p id="status" role="status"></p>\n<ol id="results"></ol>')
    return page(lang=lang, title=labels["search"], site_name=labels["site_map"], root="",
                rel="search.html", options=options, trail=[(labels["site_map"], "index.html")],
                main=main, script=_SEARCH_SCRIPT)

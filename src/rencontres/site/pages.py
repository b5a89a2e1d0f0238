"""The site's HTML pages of one group: its page, each synthesis, its keywords.

Laid out as the SPIP section they mirror: breadcrumbs of the section path, the article,
"Articles dans la même rubrique" beside it (the current one marked), the previous and
next meetings, the article's keywords each linked to its own page. The registers are in
`registers.py`, the plan of the whole site in `plan.py`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata

from rencontres.core import words
from rencontres.core.model import Meeting, transcribed
from rencontres.render.labels import LABELS
from rencontres.site.layout import Options, a, esc, link_list, page


def keyword_slugs(keywords: list[str]) -> dict[str, str]:
    """Each keyword → the name of its page (ASCII, unique within the group)."""
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for k in keywords:
        base = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", k).encode(
            "ascii", "ignore").decode().lower()).strip("-")[:60] or "mot"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        slugs[k] = slug
    return slugs


def listing(archive, slug: str) -> dict:
    """What other pages show of a group: its name, section, language, its meetings newest
    first (stem, date, title, stub) and its keywords with their pages. Written beside the
    group's pages as `meetings.json`, from which the plan of the site is made."""
    group = archive.groups[slug]
    return {
        "name": group.name, "section": list(group.section), "language": group.language,
        "meetings": [{"stem": m.stem, "date": m.day.isoformat(),
                      "title": archive.title(m, group.language), "stub": not transcribed(m)}
                     for m in archive.newest_first(slug)],
        "keywords": list(keyword_slugs(list(archive.keywords(slug))).items()),
        "site_url": group.site_url,
    }


def listing_bytes(data: dict) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def entry_html(item: dict, href: str, lang: str, current: bool = False) -> str:
    """One line of a list of meetings: `2007/11/22. Synthèse de la 3ème rencontre`, linked;
    a stub says it is one."""
    text = f"{words.date_slashed(dt.date.fromisoformat(item['date']))}. {item['title']}"
    line = a(href, text, current)
    if item["stub"]:
        line += f' <span class="stub-mark">({esc(LABELS[lang]["stub_mark"])})</span>'
    return line


def section_trail(data: dict, root: str, group_href: str | None) -> tuple[list[tuple[str, str]],
                                                                          str]:
    """The breadcrumbs of a group's pages: the plan, the section path (its last step is the
    group's page), and the group page's own title."""
    lang = data["language"]
    section = data["section"] or [data["name"]]
    trail = [(LABELS[lang]["site_map"], f"{root}index.html")]
    trail += [(step, "") for step in section[:-1]]
    if group_href is not None:
        trail.append((section[-1], group_href))
    return trail, section[-1]


def group_links(slug: str, lang: str, options: Options, prefix: str = "") -> list[str]:
    """The group's other pages: keywords, registers, calendar (webcal:// when the site's
    address is known)."""
    labels = LABELS[lang]
    feed = options.absolute(f"{slug}/calendar.ics")
    feed = "webcal://" + feed.split("://", 1)[1] if feed else f"{prefix}calendar.ics"
    return [a(f"{prefix}keywords.html", labels["keywords_page"]),
            a(f"{prefix}actions.html", labels["open_actions"]),
            a(f"{prefix}decisions.html", labels["register"]),
            a(f"{prefix}attendance.html", labels["attendance"]),
            a(feed, labels["calendar"])]


def _footer(lang: str, prefix: str) -> tuple[tuple[str, str], ...]:
    return ((LABELS[lang]["index"], f"{prefix}index.html"),)


def group_page(archive, slug: str, options: Options) -> str:
    """The group's page: name, breadcrumbs, objectives, the next meeting (date, time, venue,
    agenda), its meetings newest first, and its other pages."""
    from rencontres.render import html
    from rencontres.render.text import parse

    group = archive.groups[slug]
    lang = group.language
    labels = LABELS[lang]
    data = listing(archive, slug)
    trail, title = section_trail(data, "../", None)
    parts = [f"<h1>{esc(title)}</h1>"]
    if title != group.name:
        parts.append(f'<p class="surtitre">{esc(group.name)}</p>')
    parts.append(link_list(group_links(slug, lang, options), "links"))
    latest = archive.latest(slug)
    if latest is not None and latest.next is not None:
        parts.append(_next_meeting(archive, slug, latest, lang))
    parts.append(f"<h2>{esc(labels['meetings'])}</h2>")
    parts.append(link_list([entry_html(item, f"{item['stem']}.html", lang)
                            for item in data["meetings"]]) if data["meetings"] else "")
    if group.objectives.strip():
        parts.append(f"<h2>{esc(labels['objectives'])}</h2>")
        parts.append(html.fragment(parse(group.objectives, shift=2)))
    return page(lang=lang, title=title, site_name=group.name, root="../",
                rel=f"{slug}/index.html", options=options, trail=trail,
                main="\n".join(p for p in parts if p), indexed=True)


def _next_meeting(archive, slug: str, latest: Meeting, lang: str) -> str:
    from rencontres import followup
    from rencontres.render.pages import agenda_items
    from rencontres.render.synthesis import next_sentence

    labels = LABELS[lang]
    group = archive.groups[slug]
    agenda = followup.agenda(group, archive.meetings[slug], archive.number, latest)
    out = [f"<h2>{esc(labels['next'])}</h2>", f"<p>{esc(next_sentence(agenda.next, lang))}</p>"]
    items = agenda_items(agenda, lang)
    if items:
        out.append(f"<h3>{esc(labels['agenda'])}</h3>\n<ol>")
        for item, owners in items:
            sub = "".join(f"<li>{esc(owner)}<ul>" + "".join(f"<li>{esc(x)}</li>" for x in acts)
                          + "</ul></li>" for owner, acts in owners)
            out.append(f"<li>{esc(item)}" + (f"<ul>{sub}</ul>" if sub else "") + "</li>")
        out.append("</ol>")
    return "\n".join(out)


def when_where(archive, m: Meeting, lang: str) -> str:
    """"Date : jeudi 22 novembre 2007 à 14h00 – 16h00" and "Lieu : …", as `show` gives them;
    a record without a time takes the one its previous record's [next] planned."""
    from rencontres.render.synthesis import when_text

    labels = LABELS[lang]
    start: dt.date | dt.datetime = m.start or m.day
    venue, address = m.venue.strip(), m.address.strip()
    if m.start is None:
        seq = list(archive.meetings[m.group])
        at = next((i for i, x in enumerate(seq) if x.stem == m.stem), 0)
        planned = seq[at - 1].next if at > 0 else None
        if planned is not None and planned.date is not None and planned.date.date() == m.day:
            start = planned.date
            venue, address = venue or planned.venue.strip(), address or planned.address.strip()
    when = when_text(start, lang)
    end = m.end.time() if isinstance(m.end, dt.datetime) else m.end
    if end is not None and isinstance(start, dt.datetime):
        when += f" – {words.time_of_day(end, lang)}"
    out = f"<strong>{esc(labels['when'])}</strong>{esc(labels['sep'].rstrip())} {esc(when)}"
    place = ", ".join(x for x in (venue, address) if x)
    if place:
        out += (f"<br>\n<strong>{esc(labels['where'])}</strong>{esc(labels['sep'].rstrip())} "
                f"{esc(place)}")
    return f'<p class="meta">{out}</p>'


# Each group's "même rubrique" lines, written once for all its pages (a group of 100
# meetings would write its 100 lines on each of its 100 pages): the listing they were made
# from is kept with them, so that its id is never another's.
_SAME: dict[int, tuple[dict, list[str]]] = {}


def _same_section(data: dict) -> list[str]:
    """The group's meetings as the lines of "Articles dans la même rubrique" (a copy)."""
    found = _SAME.get(id(data))
    if found is None or found[0] is not data:
        if len(_SAME) > 16:
            _SAME.clear()
        lines = [entry_html(item, f"{item['stem']}.html", data["language"])
                 for item in data["meetings"]]
        found = _SAME[id(data)] = (data, lines)
    return list(found[1])


def synthesis_page(archive, m: Meeting, doc, data: dict, options: Options) -> str:
    """A synthesis as a page of the site: breadcrumbs, the article with its date, time and
    venue, its table of contents linked to its sections, its keywords linked; then the
    previous and next meetings and "Articles dans la même rubrique", this one marked."""
    from rencontres.site.article import article_html

    lang = data["language"]
    labels = LABELS[lang]
    trail, section = section_trail(data, "../", "index.html")
    kw_pages = dict(data["keywords"])
    keywords = [a(f"mot/{kw_pages[k]}.html", k) for k in doc.keywords if k in kw_pages]
    main = article_html(doc, when_where(archive, m, lang), keywords)
    items = data["meetings"]
    at = next(i for i, item in enumerate(items) if item["stem"] == m.stem)
    around = []
    if at + 1 < len(items):
        around.append(f"{esc(labels['previous'])}{esc(labels['sep'])}"
                      + entry_html(items[at + 1], f"{items[at + 1]['stem']}.html", lang))
    if at > 0:
        around.append(f"{esc(labels['following'])}{esc(labels['sep'])}"
                      + entry_html(items[at - 1], f"{items[at - 1]['stem']}.html", lang))
    if around:
        main += (f'\n<nav class="around" aria-label="{esc(labels["around"])}" '
                 'data-pagefind-ignore>'
                 + link_list(around) + "</nav>")
    same = _same_section(data)
    same[at] = entry_html(items[at], f"{m.stem}.html", lang, current=True)
    # the lists of other meetings are not searched: only the article itself
    main += ('\n<aside aria-labelledby="same" data-pagefind-ignore>'
             f'<h2 id="same">{esc(labels["index"])}</h2>\n' + link_list(same) + "\n</aside>")
    return page(lang=lang, title=doc.title_text, site_name=data["name"], root="../",
                rel=f"{m.group}/{m.stem}.html", options=options, trail=trail, main=main,
                indexed=True, footer_links=((section, "index.html"),), wide=True)


def keywords_page(slug: str, data: dict, counts: dict[str, int], options: Options) -> str:
    """The group's keywords, each linked to its page, with how many articles carry it."""
    lang = data["language"]
    labels = LABELS[lang]
    trail, section = section_trail(data, "../", "index.html")
    title = f"{labels['keywords_page']}{labels['sep']}{data['name']}"
    items = [a(f"mot/{kslug}.html", k) + f" ({counts.get(k, 0)})" for k, kslug in data["keywords"]]
    main = f"<h1>{esc(title)}</h1>\n" + (link_list(items) if items else "")
    return page(lang=lang, title=title, site_name=data["name"], root="../",
                rel=f"{slug}/keywords.html", options=options, trail=trail, main=main,
                footer_links=((section, "index.html"),))


def keyword_page(slug: str, keyword: str, kslug: str, meetings: list[Meeting], data: dict,
                 options: Options) -> str:
    """One keyword's page: the articles that carry it, newest first."""
    lang = data["language"]
    labels = LABELS[lang]
    trail, section = section_trail(data, "../../", "../index.html")
    trail.append((labels["keywords_page"], "../keywords.html"))
    title = labels["keyword_of"].format(keyword=keyword)
    by_stem = {item["stem"]: item for item in data["meetings"]}
    items = [entry_html(by_stem[m.stem], f"../{m.stem}.html", lang) for m in meetings]
    main = f"<h1>{esc(title)}</h1>\n" + link_list(items)
    return page(lang=lang, title=title, site_name=data["name"], root="../../",
                rel=f"{slug}/mot/{kslug}.html", options=options, trail=trail, main=main,
                footer_links=((section, "../index.html"),))

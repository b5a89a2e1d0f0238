"""A synthesis's article as the site shows it: the document `render` makes, its sections
given anchors and its table of contents linked to them, its keywords linked to their
pages, the meeting's date, time and venue under its title."""

from __future__ import annotations

from rencontres.render.labels import LABELS
from rencontres.render.text import Heading, List, Para, plain_text
from rencontres.site.layout import esc


def article_html(doc, meta: str, keyword_links: list[str]) -> str:
    from rencontres.render import html

    anchors: dict[str, str] = {}
    for b in doc.body:
        if isinstance(b, Heading) and b.level == 2:
            anchors.setdefault(plain_text(b.children), f"s{len(anchors) + 1}")
    parts: list = []
    if doc.surtitle:
        parts.append(f'<p class="surtitre">{html.inlines(doc.surtitle)}</p>')
    parts.append(f"<h1>{html.inlines(doc.title)}</h1>")
    parts.append(meta)
    seen: set[str] = set()
    for b in doc.body:
        if isinstance(b, Heading) and b.level == 2:
            text = plain_text(b.children)
            if text in anchors and text not in seen:
                seen.add(text)
                parts.append(f'<h2 id="{anchors[text]}">{html.inlines(b.children)}</h2>')
                continue
        elif _is_contents(b, anchors) and not seen:
            parts.append("<ul>\n" + "".join(
                f'<li><a href="#{anchors[t]}">{esc(t)}</a></li>\n'
                for t in (plain_text(item[0].children) for item in b.items)) + "</ul>")
            continue
        parts.append(b)
    if keyword_links:
        labels = LABELS[doc.lang]
        parts.append(f"<p><strong>{esc(labels['keywords'])}</strong>"
                     f"{esc(labels['sep'].rstrip())} "
                     + esc(labels["list_sep"]).join(keyword_links) + "</p>")
    return "<article>\n" + html.fragment(parts) + "\n</article>"


def _is_contents(b, anchors: dict[str, str]) -> bool:
    """The list of the topics' titles that opens a synthesis (each one a section's)."""
    return (isinstance(b, List) and bool(b.items) and all(
        len(item) == 1 and isinstance(item[0], Para) and plain_text(item[0].children) in anchors
        for item in b.items))

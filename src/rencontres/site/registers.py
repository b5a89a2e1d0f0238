"""The group's registers as pages: the open actions by owner, the decisions with their
votes, attendance per person and organisation (what `actions`, `decisions` and
`attendance` print, from the same functions of `followup`)."""

from __future__ import annotations

from rencontres import followup
from rencontres.core import words
from rencontres.render.labels import LABELS
from rencontres.site.layout import Options, a, esc, link_list, page
from rencontres.site.pages import section_trail


def _page(slug: str, name: str, data: dict, title: str, main: str, options: Options) -> str:
    trail, section = section_trail(data, "../", "index.html")
    return page(lang=data["language"], title=title, site_name=data["name"], root="../",
                rel=f"{slug}/{name}.html", options=options, trail=trail,
                main=f"<h1>{esc(title)}</h1>\n{main}", footer_links=((section, "index.html"),))


def _meeting_link(archive, m, lang: str) -> str:
    return a(f"{m.stem}.html", f"{words.date_slashed(m.day)}. {archive.title(m, lang)}")


def actions_page(archive, slug: str, data: dict, options: Options) -> str:
    """Open actions by owner (owners in the order they first appear, those without last),
    each with its due date and the meeting that decided it."""
    from rencontres.core.values import replace
    from rencontres.render.synthesis import action_text

    lang = data["language"]
    labels = LABELS[lang]
    by_owner: dict[str, list] = {}
    for t in followup.open_actions(archive.meetings[slug]):
        by_owner.setdefault(t.action.owner.strip(), []).append(t)
    owners = sorted((o for o in by_owner if o), key=lambda o: (words.sort_key(o), o))
    owners += [""] if "" in by_owner else []
    parts = []
    for owner in owners:
        parts.append(f"<h2>{esc(owner or labels['no_owner'])}</h2>")
        parts.append(link_list([
            esc(action_text(replace(t.action, owner=""), lang)) + " — "
            + esc(labels["decided_on"].format(date=words.date_long(t.origin.day, lang))) + " ("
            + _meeting_link(archive, t.origin, lang) + ")"
            for t in by_owner[owner]]))
    main = "\n".join(parts) or f"<p>{esc(labels['no_open_actions'])}</p>"
    title = f"{labels['open_actions']}{labels['sep']}{data['name']}"
    return _page(slug, "actions", data, title, main, options)


def decisions_page(archive, slug: str, data: dict, options: Options) -> str:
    """Every decision, oldest first, under its meeting (linked) and topic, with its vote."""
    from rencontres.render.synthesis import decision_text

    lang = data["language"]
    labels = LABELS[lang]
    parts: list[str] = []
    meeting = topic = None
    items: list[str] = []

    def flush() -> None:
        if items:
            parts.append(link_list(items[:]))
            items.clear()

    for e in followup.register(archive.meetings[slug]):
        if e.meeting is not meeting:
            flush()
            meeting, topic = e.meeting, None
            parts.append(f"<h2>{_meeting_link(archive, e.meeting, lang)}</h2>")
        if e.topic != topic:
            flush()
            topic = e.topic
            parts.append(f"<h3>{esc(topic)}</h3>")
        items.append(esc(decision_text(e.decision, lang)))
    flush()
    main = "\n".join(parts) or f"<p>{esc(labels['no_decisions'])}</p>"
    title = f"{labels['register']}{labels['sep']}{data['name']}"
    return _page(slug, "decisions", data, title, main, options)


def attendance_page(archive, slug: str, data: dict, options: Options) -> str:
    """Per person and per organisation: meetings present, excused, absent; per meeting,
    the people and organisations present."""
    lang = data["language"]
    labels = LABELS[lang]
    found = followup.attendance(archive.meetings[slug])
    if not found.meetings:
        main = f"<p>{esc(labels['no_attendance'])}</p>"
    else:
        heads = [labels[k] for k in ("present_count", "excused_count", "absent_count")]
        parts = [f"<h2>{esc(labels['per_person'])}</h2>",
                 _table(labels["name"], heads, [(t.name, [t.present, t.excused, t.absent])
                                                for t in found.people])]
        if found.organizations:
            parts += [f"<h2>{esc(labels['per_organization'])}</h2>",
                      _table(labels["organization"], heads,
                             [(t.name, [t.present, t.excused, t.absent])
                              for t in found.organizations])]
        parts += [f"<h2>{esc(labels['per_meeting'])}</h2>",
                  _table(labels["meeting"], [labels["people_present"],
                                             labels["organizations_present"]],
                         [(_meeting_link(archive, c.meeting, lang), [c.people, c.organizations])
                          for c in found.meetings], linked=True)]
        main = "\n".join(parts)
    title = f"{labels['attendance']}{labels['sep']}{data['name']}"
    return _page(slug, "attendance", data, title, main, options)


def _table(first: str, heads: list[str], rows: list[tuple[str, list[int]]],
           linked: bool = False) -> str:
    """A table that scrolls on its own on a narrow screen (focusable, so that a keyboard
    scrolls it too), the page itself never wider than the screen."""
    head = f'<th scope="col">{esc(first)}</th>' + "".join(
        f'<th scope="col" class="n">{esc(h)}</th>' for h in heads)
    body = "".join(
        f'<tr><th scope="row">{name if linked else esc(name)}</th>'
        + "".join(f'<td class="n">{n}</td>' for n in counts) + "</tr>\n"
        for name, counts in rows)
    return (f'<div class="table" role="region" tabindex="0" aria-label="{esc(first)}">\n'
            f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n"
            "</div>")

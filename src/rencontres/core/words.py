"""French and English words for dates, times and ordinals.

Tables of our own, never the operating system's locale, so output is the same
on every machine.
"""

from __future__ import annotations

import datetime as dt

MONTHS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}
WEEKDAYS = {
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


def ordinal(n: int, lang: str = "fr", style: str = "long") -> str:
    """1 → "1ère"/"1re" (fr, feminine: *rencontre*), "1st" (en); 3 → "3ème"/"3e", "3rd"."""
    if lang == "en":
        if 10 <= n % 100 <= 20:
            suffix = "th"
        else:
            suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    if n == 1:
        return "1ère" if style == "long" else "1re"
    return f"{n}ème" if style == "long" else f"{n}e"


def day_of_month(d: dt.date, lang: str = "fr") -> str:
    return "1er" if (lang == "fr" and d.day == 1) else str(d.day)


def date_long(d: dt.date, lang: str = "fr", weekday: bool = False) -> str:
    """"22 novembre 2007", "1er mars 2008", "mercredi 16 janvier 2008" / "Wednesday 16 January 2008"."""
    text = f"{day_of_month(d, lang)} {MONTHS[lang][d.month - 1]} {d.year}"
    if weekday:
        text = f"{WEEKDAYS[lang][d.weekday()]} {text}"
    return text


def time_of_day(t: dt.time, lang: str = "fr") -> str:
    """14:00 → "14h00" (fr), "2:00 pm" (en)."""
    if lang == "en":
        hour = t.hour % 12 or 12
        return f"{hour}:{t.minute:02d} {'am' if t.hour < 12 else 'pm'}"
    return f"{t.hour}h{t.minute:02d}"


def date_slashed(d: dt.date) -> str:
    """The section index's own notation: 2007/11/22."""
    return f"{d.year:04d}/{d.month:02d}/{d.day:02d}"


def meeting_title(n: int | None, lang: str = "fr", style: str = "long") -> str:
    """The derived title of a meeting's synthesis."""
    if lang == "en":
        return f"Minutes of the {ordinal(n, lang)} meeting" if n else "Minutes of the meeting"
    return (f"Synthèse de la {ordinal(n, lang, style)} rencontre" if n
            else "Synthèse de la rencontre")  # i18n: the document's words (group's language)


def meeting_label(n: int | None, lang: str = "fr", style: str = "long") -> str:
    """"4ème rencontre" / "4th meeting" (calendar summaries)."""
    if lang == "en":
        return f"{ordinal(n, lang)} meeting" if n else "meeting"
    return f"{ordinal(n, lang, style)} rencontre" if n else "rencontre"


_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(n: int) -> str:
    """1 → "I", 4 → "IV", 14 → "XIV" (section numbers of a synthesis)."""
    if n < 1:
        raise ValueError(f"no Roman numeral for {n}")  # i18n: a bug's (callers count from 1)
    out = []
    for value, letters in _ROMAN:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def sort_key(text: str) -> str:
    """Alphabetical order as a reader expects it: "école" between "eau" and "fête"."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def vote_result(votes_for: int | None, against: int | None, abstain: int | None,
                unanimous: bool, lang: str = "fr") -> str:
    """"adoptée par 8 voix pour, 1 contre et 2 abstentions", "adoptée à l’unanimité" /
    "adopted by 8 votes for, 1 against and 2 abstentions", "adopted unanimously".

    Adopted when more votes are for than against; zero counts against and abstaining
    are left unsaid."""
    fr = lang != "en"
    if unanimous:
        return "adoptée à l’unanimité" if fr else "adopted unanimously"  # i18n: the document's words
    pro, con, abst = votes_for or 0, against or 0, abstain or 0
    parts = []
    if votes_for is not None:
        parts.append(f"{pro} voix pour" if fr else  # i18n: the document's words
                     f"{pro} vote{'s' * (pro != 1)} for")
    if con:
        parts.append(f"{con} contre" if fr else f"{con} against")
    if abst:
        word = "abstention" if fr else "abstention"
        parts.append(f"{abst} {word}{'s' * (abst != 1)}")
    verdict = ("adoptée" if fr else "adopted") if pro > con else ("rejetée" if fr else "rejected")
    if not parts:
        return verdict
    joined = parts[0] if len(parts) == 1 else \
        ", ".join(parts[:-1]) + (" et " if fr else " and ") + parts[-1]
    return f"{verdict} {'par' if fr else 'by'} {joined}"


def voice() -> str:
    """The language of the tool's voice ("fr", "en"): the catalog the user's locale chose
    (`core/i18n.py`), for our own words inside a message (a month's name, a number's
    grouping) — not the documents', which follow the group's language."""
    from rencontres.core.i18n import catalog_language

    lang = catalog_language()[:2]
    return lang if lang in MONTHS else "en"


def grouped(n: int) -> str:
    """A number with its thousands grouped as the tool's voice writes them: 10,000 (en),
    10 000 (fr, with a narrow no-break space)."""
    return f"{n:,}".replace(",", "\u202f") if voice() == "fr" else f"{n:,}"


def no_such_date(year: int | None, month: int, day: int, hour: int | None = None,
                 minute: int | None = None, second: int | None = None) -> str:
    """Why these numbers make no date or time, in people's words ("" when they do):
    "April has only 30 days", "February 2009 has only 28 days", "there is no month 13" —
    in the user's language (« avril n’a que 30 jours »), the month named in it."""
    import calendar

    from rencontres.core.i18n import _

    if year == 0:
        return _("there is no year 0")
    if not 1 <= month <= 12:
        return _("there is no month {month}").format(month=month)
    name = MONTHS[voice()][month - 1]
    if month == 2:
        last = 29 if year is None else calendar.monthrange(year, 2)[1]
        name = name if year is None else f"{name} {year}"
    else:
        last = calendar.monthrange(2000, month)[1]
    if day < 1:
        return _("there is no day 0")
    if day > last:
        if day <= 31 or month == 2 and year is None:
            return _("{month} has only {days} days").format(month=name, days=last)
        return _("no month has {days} days").format(days=day)
    if hour is not None and not 0 <= hour <= 23:
        return _("there is no hour {hour} (hours go from 0 to 23)").format(hour=hour)
    if minute is not None and not 0 <= minute <= 59:
        return _("there is no minute {minute} (minutes go from 0 to 59)").format(minute=minute)
    if second is not None and not 0 <= second <= 60:
        return _("there is no second {second}").format(second=second)
    return ""

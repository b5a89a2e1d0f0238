"""import, issue 22: batches planned whole and written all or nothing, edited records kept,
what is not an article refused, and no date arithmetic that raises."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from rencontres.importer import reader

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre"]


def _article(day: dt.date, sentence: str) -> str:
    return (f"Synthèse de la rencontre du {day.day} {MONTHS[day.month - 1]} {day.year}\n\n"
            "Participants : Ann Martin / Apeas\n\nI - Un point\n\nRien à signaler.\n\n"
            f"{sentence}\n")


def test_a_next_meeting_no_year_can_make_right_is_kept_with_a_note():
    imp = reader.read(_article(dt.date(2008, 3, 10), "La prochaine rencontre aura lieu le "
                                                     "29 février 2008 à 14h00 à la Maison."))
    assert imp.next["date"] == dt.datetime(2008, 2, 29, 14, 0)
    assert any("no change of year makes it a date after it: kept as written" in n.text
               for n in imp.notes)


@settings(max_examples=300, deadline=None)
@given(meeting=st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
       day=st.integers(1, 31), month=st.integers(1, 12),
       year=st.none() | st.integers(1, 9999), hour=st.booleans())
def test_next_meeting_dates_never_raise(meeting, day, month, year, hour):
    announced = f"{day} {MONTHS[month - 1]}" + (f" {year}" if year is not None else "") + \
        (" à 14h00" if hour else "")
    sentence = f"La prochaine rencontre aura lieu le {announced} à la Maison, 1 rue Longue."
    found, notes = reader._next_meeting(announced + " à la Maison", meeting)
    if found is not None:
        assert isinstance(found["date"], dt.datetime)
    if meeting.year >= 1000:  # a year of four digits, as the heading's date is read
        imp = reader.read(_article(meeting, sentence))
        assert imp.date == meeting

"""invite, calendar, send: the next meeting in calendars and mailboxes."""

from __future__ import annotations

"""Invitations: iCalendar (`ics.py`), the tool's state of UIDs, SEQUENCEs and deliveries
(`state.py`), iMIP messages (`imip.py`) and their delivery over SMTP (`smtp.py`)."""

"""Published articles → records: an article's text as lines (`lines.py`), read as a page or a
SPIP source (`reader.py`), and a batch planned whole before anything is written (`plan.py`)."""

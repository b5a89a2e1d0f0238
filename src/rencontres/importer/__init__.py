"""Published articles → records: reading a page or a SPIP source (`reader.py`), and a batch
planned whole before anything is written (`plan.py`)."""

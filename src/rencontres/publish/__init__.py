"""Publishing to a SPIP site through its private area (see `spip.py`)."""

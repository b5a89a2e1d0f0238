"""rencontres: meeting minutes, section index and invitations from TOML records."""

__version__ = "0.1.0"

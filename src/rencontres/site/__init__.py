"""The static site: what a build plans, makes and writes (only where bytes changed)."""

"""The records folder and what is read from it: the store (the only module that touches
records/), TOML → model, the checks across records, the parse cache, the whole archive, and
the TOML text a person would write."""

"""A record being made: people's input read (dates, people, actions), the draft, and the
one path from answers to a record's text for prompts, flags, edit and import."""

"""The words everything else is written in: the model, its errors, dates and words. No I/O,
nothing of ours imported from outside `core`."""

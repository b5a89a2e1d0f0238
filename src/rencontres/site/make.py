"""One build of the site, as `build` and `serve` run it: plan from the file system, read
and check the groups that changed, write what changed, then the search index."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rencontres.core.model import Problem
from rencontres.site.build import Report
from rencontres.site.layout import DEFAULT, Options


@dataclass
class Built:
    out: Path
    report: Report = field(default_factory=Report)
    errors: list[Problem] = field(default_factory=list)  # nothing was written
    searched: bool | None = None  # None: no search index; False: it was up to date


def make(store, out: Path, *, options: Options = DEFAULT, prune: bool = False,
         jobs: int = 1,
         progress: Callable[[int], Callable[[str], None] | None] | None = None) -> Built:
    """Build the site of `store` into `out`. With errors in the records, nothing is
    written and they are returned. `progress(total)` gives the step called per file."""
    from rencontres.records.archive import Archive
    from rencontres.site.build import plan, write_site
    from rencontres.site.outputs import site_outputs

    store.refuse_output(out, "site")
    planned = plan(store, out, options.key())  # unchanged groups are not even read
    archive = Archive.load(store, only=planned.to_build)
    if archive.errors:
        return Built(out, errors=archive.errors)
    groups = store.groups()
    outputs = site_outputs(archive, options, out, groups)
    step = progress(len(outputs.files)) if progress else None
    report = write_site(outputs, out, prune=prune, protected=tuple(store.protected()),
                        step=step, planned=planned, archive=archive, jobs=jobs,
                        options=options)
    built = Built(out, report)
    if options.search:
        from rencontres.site import search

        built.searched = search.index(out, groups)
    return built

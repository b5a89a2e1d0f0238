#!/usr/bin/env bash
# Makes spip-backup.sqlite: a SPIP 4.3.5 site built with SPIP's own API (make.php), backed up by
# SPIP's own `dump` plugin. Needs a SPIP from ../shared/tools/spip-engine/setup.sh DIR (a fresh one:
# the objects are added to whatever the site holds) and the project installed (.venv).
# Usage: tests/data/spip-backup/make.sh SPIP_DIR [OUT.sqlite N]   (N more meetings: bench/run.py's large backup)
# What it holds (made 2026-12-06 with SPIP 4.3.5, the dump plugin of its plugins-dist): rubriques
# 1 Groupes de travail / 2 Ramsess / 3 Les rencontres de ce groupe de travail, and 4 Ressources;
# in 3, published: art1 the seed's meeting (the project's SPIP text of ramsess/2007-11-22), art2
# "… - Invitation" (a <quote>, a link [->art1]), art3 (a note [[…]], a table, a <quote>, [->art1]);
# art4 in 3 proposed (prop), art5 in 4 published; keywords "accompagnement" (art1, art2, art3) and
# "ESS" (art1, art3) of the group "Thèmes". spip_auteurs has the installer's admin (the local test
# password of ../shared/tools/spip-engine, hashed).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
SPIP_DIR=$(cd "$1" && pwd)
seed=$(mktemp)
trap 'rm -f "$seed"' EXIT
# The seed's meeting (tests/data/import/000_44f011bbe45605fa.txt, records/ramsess/2007-11-22)
# as SPIP source, as the project writes it:
"$REPO/.venv/bin/rencontres" --records "$REPO/records" render ramsess/2007-11-22 --format spip --text-only > "$seed"
SPIP_ROOT="$SPIP_DIR" php "$HERE/make.php" "$seed" "${2:-$HERE/spip-backup.sqlite}" ${3:-}

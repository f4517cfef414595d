#!/usr/bin/env bash
# Vendor the UI's browser libraries into the package (run at install time, never at run time).
# Installs the pinned packages from web/package.json(+lock) into a scratch folder, so no
# node_modules lands in the tree, and copies the built files and their licences into static/vendor.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DEST="$HERE/../src/newsgraph/web/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cp "$HERE/package.json" "$WORK/"
if [[ -f "$HERE/package-lock.json" ]]; then
  cp "$HERE/package-lock.json" "$WORK/"
  (cd "$WORK" && npm ci --ignore-scripts --no-audit --no-fund --silent)
else
  (cd "$WORK" && npm install --ignore-scripts --no-audit --no-fund --silent)
  cp "$WORK/package-lock.json" "$HERE/package-lock.json"
fi

NM="$WORK/node_modules"
mkdir -p "$DEST"
# file in the package -> name in static/vendor
copy() { cp "$NM/$1" "$DEST/$2"; }
copy chart.js/dist/chart.umd.min.js chart.umd.min.js
copy chart.js/LICENSE.md LICENSE.chart.js.md
copy cytoscape/dist/cytoscape.min.js cytoscape.min.js
copy cytoscape/LICENSE LICENSE.cytoscape.txt
copy topojson-client/dist/topojson-client.min.js topojson-client.min.js
copy topojson-client/LICENSE LICENSE.topojson-client.txt
copy world-atlas/countries-110m.json countries-110m.json
copy world-atlas/LICENSE LICENSE.world-atlas.txt
echo "vendored into $DEST:"
ls -la "$DEST"

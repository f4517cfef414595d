#!/usr/bin/env bash
# Vendor the UI's browser libraries into the package (run at install time, never at run time).
# Installs the pinned packages from web/package.json(+lock) into a scratch folder, so no
# node_modules lands in the tree, and copies the built files and their licences into static/vendor.
# axe-core is a test tool (the accessibility scan in tests/test_web_a11y.py): it goes to tests/vendor,
# not into the package.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DEST="$HERE/../src/newsgraph/web/static/vendor"
TEST_DEST="$HERE/../tests/vendor"
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
mkdir -p "$DEST" "$TEST_DEST"
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
cp "$NM/axe-core/axe.min.js" "$TEST_DEST/axe.min.js"
cp "$NM/axe-core/LICENSE" "$TEST_DEST/LICENSE.axe-core.txt"
echo "vendored into $DEST:"
ls -la "$DEST" "$TEST_DEST"

#!/bin/bash
# CPU A/B: .scratch/abc.sh NAME 'sed expr on page.js' ['sed expr on relay.js'] — row via ROW, n via N
name=$1; expr=$2; rexpr=$3; row=${ROW:-mcPing}; n=${N:-20000}; runs=${RUNS:-5}
cd /work/main
rm -rf dist/chrome && cp -r /tmp/base dist/chrome
[ -n "$expr" ] && sed -i "$expr" dist/chrome/page.js
[ -n "$rexpr" ] && sed -i "$rexpr" dist/chrome/relay.js
echo "== $name"; node .scratch/cpu.mjs $row $n $runs 2>&1 | grep -v operator
rm -rf dist/chrome && cp -r /tmp/base dist/chrome

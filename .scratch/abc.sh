#!/bin/bash
# CPU A/B: .scratch/abc.sh NAME 'sed expr on page.js' [row n runs]
name=$1; expr=$2; row=${3:-mcPing}; n=${4:-20000}; runs=${5:-5}
cd /work/main
rm -rf dist/chrome && cp -r /tmp/base dist/chrome
[ -n "$expr" ] && sed -i "$expr" dist/chrome/page.js
echo "== $name"; node .scratch/cpu.mjs $row $n $runs 2>&1 | grep -v operator
rm -rf dist/chrome && cp -r /tmp/base dist/chrome

#!/bin/bash
# .scratch/ab.sh NAME 'sed expr on page.js' row n runs cols — wall ratios with dist/chrome patched
name=$1; expr=$2; row=${3:-mcPing}; n=${4:-5000}; runs=${5:-9}; cols=${6:-native on}
cd /work/main
rm -rf dist/chrome && cp -r /tmp/base dist/chrome
[ -n "$expr" ] && sed -i "$expr" dist/chrome/page.js
echo -n "$name: "; node .scratch/quick.mjs $row $n $runs $cols 2>&1 | tail -1
rm -rf dist/chrome && cp -r /tmp/base dist/chrome

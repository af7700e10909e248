#!/usr/bin/env bash
# Runs the Java TV benchmark and, right after it in the same session, the scikit-image peer
# speed script (../shared/peers/speed.py, Debian python3-skimage etc. under /usr/bin/python3),
# then prints the per-iteration speed ratio Java / skimage denoise_tv_chambolle (float32).
# Usage: bench/run-with-skimage.sh [--quick]      (--quick is passed to both)
# Needs: apt-get install python3-skimage python3-opencv python3-scipy python3-tifffile
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
QUICK=""
[ "${1:-}" = "--quick" ] && QUICK="--quick"
mkdir -p bench-results
bench/run-tv-benchmark.sh $QUICK --shared "$SHARED" --out bench-results/tv_benchmark.json | tee bench-results/tv_benchmark.log
TAG=_varlearn_bench
( cd "$SHARED/peers" && /usr/bin/python3 speed.py $QUICK --tag "$TAG" ) | tee bench-results/skimage_speed.log
SK="$SHARED/peers/results/speed${QUICK:+_quick}${TAG}.json"
cp "$SK" bench-results/skimage_speed.json
/usr/bin/python3 - bench-results/tv_benchmark.json bench-results/skimage_speed.json <<'PY'
import json, sys
j = json.load(open(sys.argv[1])); s = json.load(open(sys.argv[2]))
ref = {k: s["chambolle"]["%s_float32" % k]["mpix_iter_per_s"] for k in ("512", "2048")}
print("\nRatio to skimage denoise_tv_chambolle float32 from this run (Mpx-it/s per iteration):")
print("  skimage: 512^2 %.1f, 2048^2 %.1f" % (ref["512"], ref["2048"]))
cp = j.get("copy_bandwidth", {})
out = []
for r in j.get("throughput", []):
    key = r["size"].replace("^2", "")
    if key not in ref or r["type"] != "isotropic":
        continue
    bw = cp.get("arraycopy_threads%d_GBps" % r["threads"])
    ratio = r["mpix_iter_per_s"] / ref[key]
    frac = r["traffic_GBps"] / bw if bw else float("nan")
    print("  %-7s %-9s %d thr: %7.1f Mpx-it/s = %5.2fx skimage; %5.1f GB/s = %3.0f%% of arraycopy (%d thr)"
          % (r["size"], r["dual"], r["threads"], r["mpix_iter_per_s"], ratio, r["traffic_GBps"], 100 * frac, r["threads"]))
    out.append(dict(size=r["size"], dual=r["dual"], threads=r["threads"], ratio_to_skimage=ratio,
                    fraction_of_arraycopy_bandwidth=frac))
json.dump({"skimage_mpix_iter_per_s": ref, "rows": out}, open("bench-results/ratios.json", "w"), indent=1)
PY

#!/usr/bin/env bash
# Shows that the gate catches real regressions: each injected one must make `feedbench gate`
# exit 4. Prints which were caught and which were missed; exits non-zero if any was missed.
set -u
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
missed=0
for injection in "FEEDBENCH_INJECT_DELAY_MS=5" "FEEDBENCH_INJECT_HEADER_BYTES=40"; do
  env "$injection" node bin/feedbench.js gate --out "$out" > "$out/${injection%%=*}.log" 2>&1
  code=$?
  if [ "$code" -eq 4 ]; then
    echo "caught  $injection: $(grep -c REGRESSED "$out/${injection%%=*}.log") figure(s) regressed"
    grep REGRESSED "$out/${injection%%=*}.log" | sed 's/^/    /'
  else
    echo "MISSED  $injection (exit $code)"
    missed=1
  fi
done
exit $missed

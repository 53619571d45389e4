#!/usr/bin/env bash
# Developer loop: run part of TinkerPop's Gherkin suite against a freshly
# built server, through gremlin-go's cucumber package.
#   tests/conformance/dev.sh PORT [FEATURE-PATH-UNDER-features/ [SCENARIO-REGEX]]
# e.g. tests/conformance/dev.sh 46001 map/Match.feature
#      tests/conformance/dev.sh 46001 branch/Repeat.feature 'g_V_repeatXoutX_timesX2X$'
# Prints the godog summary and the failing scenarios with their first error.
# The official count comes from TestConformance (go test ./tests/conformance).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
port=${1:?usage: dev.sh PORT [feature path] [scenario regex]}
feature=${2:-}
filter=${3:-}
tp=${KVTGRAPH_TINKERPOP_DIR:-$root/../shared/tinkerpop}
tp=$(cd "$tp" && pwd)
work=$(mktemp -d)
trap 'kill $(cat $work/pid 2>/dev/null) 2>/dev/null || true; rm -rf $work' EXIT
(cd "$root" && go build -o "$work/kvtgraph" ./cmd/kvtgraph)
# exec makes the background job the server itself, so the trap's kill reaches it.
(cd "$root" && KVTGRAPH_TINKERPOP_DIR="$tp" KVTGRAPH_SERVER_PORT=$port KVTGRAPH_SERVER_HOST=127.0.0.1 \
  KVTGRAPH_SERVER_EVALUATIONTIMEOUT=${EVAL_TIMEOUT:-20s} exec "$work/kvtgraph" serve --config conf/tinkerpop-test.yaml >"$work/server.log" 2>&1) &
echo $! >"$work/pid"
for i in $(seq 1 200); do (echo >/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
runargs=()
[ -n "$filter" ] && runargs=(-run "TestCucumberFeatures/($filter)")
cd "$root"
GREMLIN_SERVER_URL=ws://127.0.0.1:$port/gremlin CUCUMBER_FEATURE_FOLDER="$tp/features/$feature" \
  go test -count=1 -json "${runargs[@]}" -timeout 30m github.com/apache/tinkerpop/gremlin-go/v3/driver/cucumber >"$work/out.json" 2>&1 || true
python3 - "$work/out.json" <<'PY'
import json, sys, re, collections
out = collections.defaultdict(list); res = {}; summary = ''
for line in open(sys.argv[1]):
    try: ev = json.loads(line)
    except Exception: continue
    o = ev.get('Output') or ''
    m = re.search(r'\d+ scenarios \(.*\)', re.sub(r'\x1b\[[0-9;]*m', '', o))
    if m: summary = m.group(0)
    t = ev.get('Test', '')
    if '/' not in t: continue
    n = t.split('/', 1)[1]
    if ev['Action'] in ('pass', 'fail'): res[n] = ev['Action']
    elif ev['Action'] == 'output': out[n].append(re.sub(r'\x1b\[[0-9;]*m', '', o))
for n, a in sorted(res.items()):
    if a != 'fail': continue
    lines = [l.strip() for l in ''.join(out[n]).split('\n') if re.search(r'(?i)error|expected|panic|does not|must', l)]
    print('FAIL', n); [print('    ', l[:400]) for l in lines[:3]]
print(summary or 'no godog summary (did the server start? see below)')
print(sum(1 for a in res.values() if a == 'pass'), 'passed,', sum(1 for a in res.values() if a == 'fail'), 'failed')
PY
if ! grep -q "listening" "$work/server.log"; then tail -20 "$work/server.log"; fi

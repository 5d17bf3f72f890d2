#!/bin/sh
# The seed corpus checked with no network at all: exit 3, one clear error,
# every citation 'unknown' and none reported dead. The run happens in a new
# network namespace (unshare -rn) where only a downed loopback exists, so no
# outside address can be contacted; where user namespaces are not allowed
# the test is skipped (exit 77), never passed blindly. --no-store: results
# another run left in the source tree's store would be reused, rightly.
#
# usage: no-network.sh CITEAUDIT SOURCE_ROOT WORKDIR
set -u
tool=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") src=$2 work=$3
mkdir -p "$work"
if ! unshare -rn true 2>/dev/null; then
    echo "SKIP: unshare -rn is not permitted here (no user namespaces)"
    exit 77
fi
cd "$src" || exit 1
unshare -rn "$tool" check --no-store --format jsonl fixtures/seeds \
    --manifest fixtures/seeds/MANIFEST.tsv >"$work/out.jsonl" 2>"$work/err.txt"
rc=$?
fail=0
[ "$rc" -eq 3 ] || { echo "exit status $rc, want 3"; fail=1; }
n=$(grep -c '"status":"unknown"' "$work/out.jsonl")
[ "$n" -eq 4 ] || { echo "$n unknown citations, want 4"; fail=1; }
total=$(wc -l <"$work/out.jsonl")
[ "$total" -eq 4 ] || { echo "$total citations, want 4"; fail=1; }
grep -q '"failing":true' "$work/out.jsonl" && { echo "a citation is failing"; fail=1; }
errs=$(grep -c '^error:' "$work/err.txt")
[ "$errs" -eq 1 ] || { echo "$errs error lines, want 1"; fail=1; }
grep -q 'no network' "$work/err.txt" || { echo "the error does not say 'no network'"; fail=1; }
# The text report says so too, and does not call anything dead.
unshare -rn "$tool" check --no-store fixtures/seeds --manifest fixtures/seeds/MANIFEST.tsv \
    >"$work/out.txt" 2>/dev/null
grep -qi 'dead' "$work/out.txt" && { echo "the text report mentions dead links"; fail=1; }
if [ $fail -ne 0 ]; then
    echo "--- stdout"; cat "$work/out.jsonl"; echo "--- stderr"; cat "$work/err.txt"
    exit 1
fi
echo "ok: exit 3, 4 unknown, one error: $(cat "$work/err.txt")"

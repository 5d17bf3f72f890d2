#!/bin/sh
# build-libfuzzer.sh - build the fuzz targets with clang and libFuzzer, and
# optionally run them.
#
#   tests/fuzz/build-libfuzzer.sh                 # build into build-fuzz/
#   tests/fuzz/build-libfuzzer.sh -t 60           # build, fuzz each target 60 s
#   tests/fuzz/build-libfuzzer.sh -t 300 html url # only these targets
#   tests/fuzz/build-libfuzzer.sh -k -t 600 url   # keep going after crashes
#
# The library and the targets are compiled with AddressSanitizer and
# UndefinedBehaviorSanitizer and with libFuzzer's coverage instrumentation
# (-fsanitize=fuzzer-no-link); tests/fuzz/meson.build sees that flag and
# links the targets with -fsanitize=fuzzer instead of the replay main.
# b_lundef=false because the shared library cannot resolve libFuzzer's
# coverage hooks at link time (they live in the executables).
#
# New corpus entries go to build-fuzz/corpus/TARGET (the committed seeds in
# fixtures/fuzz/TARGET are only read); crashes, leaks and timeouts go to
# build-fuzz/artifacts/TARGET/. Environment: BUILD (the build directory,
# default build-fuzz), CC (default clang), FUZZ_ARGS (extra libFuzzer flags).
set -eu

cd "$(dirname "$0")/../.."
build=${BUILD:-build-fuzz}
seconds=
keep_going=
while getopts kt: opt; do
  case $opt in
    t) seconds=$OPTARG ;;
    # Fork mode lets libFuzzer save a crash and go on looking for others.
    k) keep_going="-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1" ;;
    *) echo "usage: $0 [-k] [-t SECONDS] [html|md|text|url]..." >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
targets=${*:-html md text url}

if [ ! -f "$build/build.ninja" ]; then
  CC=${CC:-clang} meson setup "$build" \
    -Dbuildtype=debugoptimized \
    -Db_sanitize=address,undefined \
    -Db_lundef=false \
    -Dc_args=-fsanitize=fuzzer-no-link
fi
ninja -C "$build" $(for t in $targets; do printf 'tests/fuzz/fuzz-%s ' "$t"; done)

[ -n "$seconds" ] || exit 0

# UBSan only prints by default; a finding must stop the run with its input.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
status=0
for t in $targets; do
  case $t in
    url) dict=tests/fuzz/url.dict; max_len=1024 ;;
    text) dict=tests/fuzz/url.dict; max_len=16384 ;;
    *) dict=tests/fuzz/$t.dict; max_len=16384 ;;
  esac
  mkdir -p "$build/corpus/$t" "$build/artifacts/$t"
  echo "== fuzz-$t for ${seconds}s"
  # shellcheck disable=SC2086 # keep_going and FUZZ_ARGS are lists of flags
  "$build/tests/fuzz/fuzz-$t" \
    -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -dict="$dict" -artifact_prefix="$build/artifacts/$t/" -print_final_stats=1 \
    $keep_going ${FUZZ_ARGS:-} "$build/corpus/$t" "fixtures/fuzz/$t" || status=1
done
exit $status

#!/bin/sh
# Runs every fuzz target for SECONDS each (default 60), one after another,
# and prints libFuzzer's last status line for each. Seeds the corpora first
# if they are missing. Logs go to fuzz/logs/<target>.log; a finding stops
# that target and leaves its input in fuzz/artifacts/<target>/.
#
#   fuzz/run-all.sh 600            # ten minutes each
#   TARGETS="parse validate" fuzz/run-all.sh 60
#
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
# Builds without a sanitizer (the crate forbids `unsafe`; ASan would only
# slow the search) and with debug assertions (overflow checks).
set -u
seconds=${1:-60}
fuzz=$(cd "$(dirname "$0")" && pwd)
cd "$fuzz"
[ -d corpus/parse ] || ./seed.sh
mkdir -p logs
unset CARGO_TARGET_DIR
targets=${TARGETS:-"parse validate check_rules principles structured check proposal format"}
cargo +nightly fuzz build -s none -a || exit 1
status=0
for target in $targets; do
  mkdir -p "corpus/$target"
  # The structured target's input is a recipe, not text: let it be long
  # from the start instead of growing the length limit slowly.
  extra=""
  [ "$target" = structured ] && extra="-max_len=2048 -len_control=0"
  # shellcheck disable=SC2086
  cargo +nightly fuzz run -s none -a "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -timeout=5 -rss_limit_mb=4096 -print_final_stats=1 $extra \
    > "logs/$target.log" 2>&1
  code=$?
  last=$(grep -E '^#[0-9]+' "logs/$target.log" | tail -n 1)
  if [ "$code" -eq 0 ]; then
    echo "$target: ok: $last"
  else
    status=1
    echo "$target: FINDING (exit $code): $last"
    grep -E 'panicked at|Test unit written' "logs/$target.log" | head -n 3
  fi
done
exit $status

#!/bin/sh
# Fills fuzz/corpus/<target>/ with seed inputs from the repository:
# rule files, proposals and principle scripts from rules/ and tests/data/,
# and the hand-written principles in fuzz/seeds/. Safe to run again: it
# only adds files. Run it once before the first `cargo fuzz run`.
set -eu
fuzz=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$fuzz")
corpus="$fuzz/corpus"
mkdir -p "$corpus/parse" "$corpus/validate" "$corpus/check" "$corpus/check_rules" \
  "$corpus/principles" "$corpus/proposal" "$corpus/structured" "$corpus/format"

# A name for a seed: its path with slashes as dashes.
name() { echo "$1" | sed "s|^$root/||; s|/|-|g"; }

mandates=$(find "$root/rules" "$root/tests/data" -name '*.mandate' | sort)
proposals=$(find "$root/rules" "$root/tests/data" -name '*.json' | sort)
scripts=$(find "$root/rules" "$root/tests/data" -name '*.rhai' -type f | sort)

for m in $mandates; do
  cp "$m" "$corpus/parse/$(name "$m")"
  cp "$m" "$corpus/format/$(name "$m")"
  # validate: the rule file, then each script it names (in order of first
  # appearance), each after a NUL, as the target splits them.
  out="$corpus/validate/$(name "$m")"
  cp "$m" "$out"
  dir=$(dirname "$m")
  grep -o 'script "[^"]*"' "$m" | sed 's/^script "//; s/"$//' | awk '!seen[$0]++' |
    while read -r path; do
      if [ -f "$dir/$path" ]; then
        printf '\000' >> "$out"
        cat "$dir/$path" >> "$out"
      fi
    done
done
for f in "$root"/tests/data/fuzz/*; do
  [ -f "$f" ] || continue
  cp "$f" "$corpus/parse/$(name "$f")"
  cp "$f" "$corpus/validate/$(name "$f")"
  cp "$f" "$corpus/format/$(name "$f")"
done

for p in $proposals; do
  for target in check check_rules proposal; do
    cp "$p" "$corpus/$target/$(name "$p")"
  done
done

for s in $scripts "$fuzz"/seeds/principles/*; do
  cp "$s" "$corpus/principles/$(name "$s")"
done

# structured: its input is a recipe for a mandate, so any bytes will do;
# a few long ones start it with large mandates.
i=0
while [ $i -lt 16 ]; do
  head -c 1024 /dev/urandom > "$corpus/structured/random-$i"
  i=$((i + 1))
done

for target in parse validate check check_rules principles proposal structured; do
  echo "$target: $(ls "$corpus/$target" | wc -l) seeds"
done

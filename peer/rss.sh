#!/usr/bin/env bash
# Peak memory, mandate beside Cedar (issue 17): builds the three programs
# and runs `rss`, which writes the 10,000-rule peer mandate and 1,000
# requests to a folder, then runs rss-mandate and rss-cedar on it as two
# processes and prints both peak RSS figures and their ratio.
# Arguments go to rss: [RULES] [--keep DIR].
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release -p mandate-peer --bins
cargo run --quiet --release -p mandate-peer --bin rss -- "$@"

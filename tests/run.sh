#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what the tests need, then runs them.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "OpenAPI validator (openapi-spec-validator, in target/venv)"
if [ ! -x target/venv/bin/openapi-spec-validator ]; then
  mkdir -p target
  python3 -m venv target/venv
  target/venv/bin/pip install --quiet --disable-pip-version-check 'openapi-spec-validator>=0.7,<1'
fi
target/venv/bin/openapi-spec-validator spec/*.yaml

step "cargo fetch: every dependency the lock file names, for every platform (the tests build offline)"
cargo fetch --locked

step "cargo fmt --check"
cargo fmt --all -- --check

step "acsgen validate: the specs load with no errors and no warnings"
validate_output=$(cargo run -q -p acsgen -- validate spec 2>&1)
echo "$validate_output"
case "$validate_output" in
  *"0 error(s), 0 warning(s)"*) ;;
  *) echo "the specs have errors or warnings" >&2; exit 1 ;;
esac

step "acsgen check: generated/ is what the generator writes"
cargo run -q -p acsgen -- check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo doc (warnings are errors)"
RUSTDOCFLAGS=-Dwarnings cargo doc --workspace --no-deps --quiet

step "tests"
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --no-fail-fast
else
  cargo test --workspace --no-fail-fast
fi
cargo test --workspace --doc --quiet

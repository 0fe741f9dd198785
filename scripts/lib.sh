# Shared by scripts/serve and scripts/test: find or install everything the
# build needs, quickly and without network when it is all there already.
# Sourced, not run. Every install says what it installs and why.

set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WASM_BINDGEN_VERSION="0.2.130" # = the pin in Cargo.toml
TRUNK_VERSION="0.21.14"        # 0.22 needs rustc >= 1.96.1
CURRENT_STEP="starting"
CURRENT_HINT=""

say() { printf '\033[1m==>\033[0m %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }

step() {
  CURRENT_STEP="$1"
  CURRENT_HINT="${2:-}"
  say "$1"
}

on_failure() {
  local code=$?
  printf '\n\033[1;31mFAILED\033[0m during: %s (exit %s)\n' "$CURRENT_STEP" "$code" >&2
  [ -n "$CURRENT_HINT" ] && printf 'What to do: %s\n' "$CURRENT_HINT" >&2
  exit "$code"
}
trap on_failure ERR

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2
    return 1
  fi
}

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null || {
    echo "apt-get is not available; install these by hand: $*" >&2
    return 1
  }
  if [ "$APT_UPDATED" = 0 ]; then
    as_root apt-get update -q >/dev/null
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null
}

# The cargo that builds host tools (trunk, wasm-bindgen-cli): rustup's if
# there is one, whatever cargo is on PATH otherwise.
host_cargo() {
  if [ -x "$HOME/.cargo/bin/cargo" ]; then echo "$HOME/.cargo/bin/cargo"; else command -v cargo; fi
}

# Picks how to compile for wasm32 and exports the environment for it:
#  - rustup, with the wasm32-unknown-unknown target (an ordinary laptop);
#  - Debian's rustc-web with std built from source, where rustup cannot
#    download the target (see ../shared/toolchain.md).
# DOCKYARD_TOOLCHAIN=rustup|debian forces one.
ensure_wasm_toolchain() {
  step "Rust toolchain for the browser (wasm32)" \
    "install Rust with rustup (https://rustup.rs) and run: rustup target add wasm32-unknown-unknown"
  export PATH="$HOME/.cargo/bin:$PATH"
  local choice="${DOCKYARD_TOOLCHAIN:-}"
  if [ -z "$choice" ]; then
    if command -v rustup >/dev/null && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
      choice=rustup
    elif command -v rustup >/dev/null; then
      note "adding the wasm32 target with rustup (60 s at most)"
      if timeout 60 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
        choice=rustup
      else
        note "rustup could not download the target: using Debian's rustc-web instead"
        choice=debian
      fi
    else
      choice=debian
    fi
  fi
  case "$choice" in
    rustup)
      note "rustup $(rustc --version | cut -d' ' -f2) with wasm32-unknown-unknown"
      WASM_ENV=()
      ;;
    debian)
      if ! [ -x /usr/bin/rustc ] || ! /usr/bin/rustc --version | grep -q . || ! [ -d /usr/lib/rustlib/src/rust ] || ! command -v wasm-ld-22 >/dev/null; then
        note "installing rustc-web, cargo-web, rust-web-src, lld-22, rust-web-clippy, rustfmt-web (Debian): a Rust that can build std for wasm32"
        apt_install rustc-web cargo-web rust-web-src lld-22 rust-web-clippy rustfmt-web
      fi
      # Debian's toolchain for every cargo command of the project, so that one
      # target/ directory never sees two compilers.
      export PATH="/usr/bin:$PATH"
      export RUSTC_BOOTSTRAP=1
      WASM_ENV=(CARGO_UNSTABLE_BUILD_STD=std,panic_abort CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-22)
      note "Debian $(/usr/bin/rustc --version | cut -d' ' -f2), std built from source for wasm32"
      ;;
    *)
      echo "DOCKYARD_TOOLCHAIN must be rustup or debian, not '$choice'" >&2
      return 1
      ;;
  esac
  DOCKYARD_TOOLCHAIN="$choice"
  export DOCKYARD_TOOLCHAIN
}

ensure_cargo_tool() {
  local binary="$1" crate="$2" version="$3"
  shift 3
  if command -v "$binary" >/dev/null && "$binary" --version 2>/dev/null | grep -q " $version"; then
    return 0
  fi
  CURRENT_STEP="install $crate $version"
  CURRENT_HINT="check network access to crates.io, then rerun"
  note "$binary $version is missing: building it from crates.io (a few minutes, once)"
  "$(host_cargo)" install "$crate" --version "$version" "$@"
}

ensure_web_tools() {
  step "trunk and wasm-bindgen-cli"
  # wasm-bindgen-cli: no --locked (its lockfile names a crate the registry lacks).
  ensure_cargo_tool wasm-bindgen wasm-bindgen-cli "$WASM_BINDGEN_VERSION"
  ensure_cargo_tool trunk trunk "$TRUNK_VERSION" --locked
  note "trunk $(trunk --version | cut -d' ' -f2), wasm-bindgen $(wasm-bindgen --version | cut -d' ' -f2)"
}

# binaryen's wasm-opt, from the npm registry (pinned in tools/package.json):
# trunk runs it on release builds to shrink the wasm. Debian's binaryen is
# too old to read what current LLVM emits.
ensure_wasm_opt() {
  step "wasm-opt (binaryen 132), terser, axe-core and Lighthouse, from npm" "install Node.js and npm (apt-get install nodejs npm), then rerun"
  # npm ci again whenever tools/package-lock.json changed since the last one.
  if ! "$ROOT/tools/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version 132" ||
    ! cmp -s "$ROOT/tools/package-lock.json" "$ROOT/tools/node_modules/.dockyard-lock"; then
    if ! command -v npm >/dev/null; then
      note "installing nodejs and npm (Debian): npm brings binaryen's wasm-opt and terser"
      apt_install nodejs npm
    fi
    note "installing binaryen 132, terser, axe-core and Lighthouse into tools/node_modules (npm ci)"
    npm ci --prefix "$ROOT/tools" --no-audit --no-fund --loglevel=error >/dev/null
    cp "$ROOT/tools/package-lock.json" "$ROOT/tools/node_modules/.dockyard-lock"
  fi
  export PATH="$ROOT/tools/node_modules/.bin:$PATH"
  note "$(wasm-opt --version), terser $(node -p 'require(process.argv[1]).version' "$ROOT/tools/node_modules/terser/package.json")"
}

find_first() {
  local candidate
  for candidate in "$@"; do
    if command -v "$candidate" >/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

# Chromium and a matching chromedriver, for the browser tests.
ensure_browser() {
  step "Chromium and chromedriver" \
    "install Chromium (or Chrome) and the matching chromedriver, or set CHROME and CHROMEDRIVER to their paths"
  CHROME="${CHROME:-$(find_first chromium chromium-browser google-chrome google-chrome-stable || true)}"
  CHROMEDRIVER="${CHROMEDRIVER:-$(find_first chromedriver || true)}"
  if [ -z "$CHROME" ] || [ -z "$CHROMEDRIVER" ]; then
    note "installing chromium and chromium-driver (Debian): the browser tests run in headless Chromium"
    apt_install chromium chromium-driver
    CHROME="$(find_first chromium)"
    CHROMEDRIVER="$(find_first chromedriver)"
  fi
  export CHROME CHROMEDRIVER
  note "$("$CHROME" --version 2>/dev/null | head -1), $("$CHROMEDRIVER" --version | cut -d' ' -f1-2)"
}

# Downloads the crates Cargo.lock names (no-op when they are cached), so that
# the builds after it can run --offline.
ensure_crates() {
  step "Crates from Cargo.lock" "check network access to crates.io, then rerun"
  cargo fetch --locked --quiet
}

# Runs a cargo command for wasm32 with the toolchain's environment.
wasm_cargo() {
  env "${WASM_ENV[@]}" cargo "$@"
}

wasm_trunk() {
  env "${WASM_ENV[@]}" trunk "$@"
}

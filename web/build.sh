#!/usr/bin/env bash
# Builds dist/goalsheet.html: the page (web/page/) with its CSS, its JavaScript, the wasm-bindgen
# glue and the WebAssembly (base64) inlined, so the one file works offline, from file:// too.
# Installs what it needs when missing: the wasm32 target and the wasm-bindgen CLI of exactly
# the version web/Cargo.toml pins (the CLI refuses a module built by another version).
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(sed -n 's/^wasm-bindgen = "=\(.*\)"$/\1/p' web/Cargo.toml)
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
if [ "$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f2)" != "$version" ]; then
  cargo install wasm-bindgen-cli --version "$version" --locked
fi

cargo build -p goalsheet-web --target wasm32-unknown-unknown --release --locked
out=target/web
rm -rf "$out"
wasm-bindgen --target no-modules --no-typescript --out-dir "$out" \
  target/wasm32-unknown-unknown/release/goalsheet_web.wasm
base64 -w0 "$out/goalsheet_web_bg.wasm" > "$out/goalsheet_web_bg.wasm.b64"
cp web/page/style.css web/page/worker.js web/page/app.js "$out/"
# Inlined text must not end the <script> or <style> element it sits in.
if grep -l '</script\|</style' "$out"/*.js "$out"/*.css; then
  echo "build.sh: a file to inline contains </script or </style" >&2
  exit 1
fi

mkdir -p dist
awk -v dir="$out" '
  /^@include / { file = dir "/" $2; while ((getline line < file) > 0) print line; close(file); next }
  { print }
' web/page/index.html > dist/goalsheet.html.tmp
mv dist/goalsheet.html.tmp dist/goalsheet.html
echo "dist/goalsheet.html: $(du -h dist/goalsheet.html | cut -f1)"

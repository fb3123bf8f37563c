#!/usr/bin/env bash
# Installs bitnami's readme-generator-for-helm 2.7.0 (the version Cozystack CI pinned) from npm
# into the git-ignored .tools/readme-generator, for golden files and `cargo xtask bench generate`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
prefix="$root/.tools/readme-generator"
bin="$prefix/node_modules/.bin/readme-generator"
if [ -x "$bin" ] && [ "$("$bin" --version 2>/dev/null)" = "Version: 2.7.0" ]; then
  exit 0
fi
mkdir -p "$prefix"
npm install --silent --no-audit --no-fund --prefix "$prefix" @bitnami/readme-generator-for-helm@2.7.0 >/dev/null
"$bin" --version >&2

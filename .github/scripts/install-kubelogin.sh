#!/usr/bin/env bash
# Installs kubelogin (the apps stack's kubernetes provider gets its Entra ID token from it) at a pinned
# release, checked against the sha256 recorded below before anything is unpacked, into $RUNNER_TEMP/bin
# (added to GITHUB_PATH; no sudo). Used by every workflow that plans or applies an apps stack, instead
# of `az aks install-cli`, which fetches whatever kubectl and kubelogin are current, unchecked.
# kubectl is not installed: no workflow runs it.
#
# To move to another release: set VERSION, and each checksum from the release's own
# kubelogin-linux-<arch>.zip.sha256 (https://github.com/Azure/kubelogin/releases), compared with a second
# source. An architecture without a recorded checksum is refused, never installed unchecked.
set -euo pipefail

VERSION=v0.2.19
# linux-amd64: the release's kubelogin-linux-amd64.zip.sha256, as pinned in several public installers
# (e.g. Dockerfiles and install scripts that check `sha256sum -c` against this value for v0.2.19).
SHA256_amd64=ebaeff02aa899c5cae6a2b954b64fc02738185319df2570f7dc053451efa4b2f
# linux-arm64 (self-hosted arm64 runners): not recorded yet; copy it from kubelogin-linux-arm64.zip.sha256.
SHA256_arm64=

case "$(uname -m)" in
  x86_64 | amd64) arch=amd64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "::error::kubelogin: no release is pinned for machine type $(uname -m)"; exit 1 ;;
esac
expected_var="SHA256_$arch"
expected="${!expected_var}"
asset="kubelogin-linux-$arch.zip"
if [ -z "$expected" ]; then
  echo "::error::kubelogin $VERSION: no sha256 recorded for $asset in .github/scripts/install-kubelogin.sh; add it from https://github.com/Azure/kubelogin/releases/download/$VERSION/$asset.sha256"
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
curl --fail --silent --show-error --location --proto '=https' --output "$work/$asset" \
  "https://github.com/Azure/kubelogin/releases/download/$VERSION/$asset"
if ! echo "$expected  $work/$asset" | sha256sum --check --strict --status -; then
  echo "::error::kubelogin $VERSION: $asset does not have the recorded sha256 $expected; not installed"
  exit 1
fi
unzip -q "$work/$asset" "bin/linux_$arch/kubelogin" -d "$work"
dest="${RUNNER_TEMP:?}/bin"
install -D -m 0755 "$work/bin/linux_$arch/kubelogin" "$dest/kubelogin"
echo "$dest" >> "${GITHUB_PATH:?}"
echo "kubelogin $VERSION ($arch, sha256 $expected) installed in $dest"

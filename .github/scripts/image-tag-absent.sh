#!/usr/bin/env bash
# `image-tag-absent.sh REGISTRY REPOSITORY:TAG`: exit 0 only when the registry answers that the tag (or
# its repository) does not exist. A tag that exists, and any other answer (no permission, a network or
# firewall error, a throttled request, a missing az), stop the image workflow: a released tag is never
# overwritten because a check could not be made.
set -uo pipefail
registry="$1"
image="$2"
err="$(mktemp)"
trap 'rm -f "$err"' EXIT
if az acr repository show --name "$registry" --image "$image" --only-show-errors --output none 2> "$err"; then
  echo "::error::$image already exists in $registry. Tags are immutable: bump the version in workloads/photo-view/app/package.json."
  exit 1
fi
# The registry's "not found" answers (OCI distribution error codes): a new tag, or a new repository.
if grep -Eq 'MANIFEST_UNKNOWN|NAME_UNKNOWN|manifest tagged by .* is not found|repository .* is not found' "$err"; then
  echo "$image is not in $registry yet."
  exit 0
fi
echo "::error::could not tell whether $image exists in $registry, so nothing is built or pushed:"
cat "$err" >&2
exit 1

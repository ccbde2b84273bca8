#!/usr/bin/env bash
# Fetches every vendored file again at its pinned version from the npm registry (`npm pack`
# into a temporary folder), checks each against SHA256SUMS (the sums of the files as
# committed), and only then writes them in place. `make vendor` runs it.
#
#   bash tracker/static/vendor/fetch.sh            fetch, check, write
#   bash tracker/static/vendor/fetch.sh --check    fetch and check; the tree is left alone
#   bash tracker/static/vendor/fetch.sh --update   fetch, write, and record new sums
#
# To move a package to another version: change its lines in FILES below, rename its folder
# (the folder name carries the version, and the templates link to it), run with --update and
# read the diff of SHA256SUMS.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mode="${1:-fetch}"
case "$mode" in
  fetch|--check|--update) ;;
  *) echo "usage: $0 [--check|--update]" >&2; exit 2 ;;
esac

# package@version   file inside the package   where it goes (relative to this folder)
FILES=(
  "@picocss/pico@2.1.1   css/pico.min.css        pico-2.1.1/pico.min.css"
  "@picocss/pico@2.1.1   LICENSE.md              pico-2.1.1/LICENSE.md"
  "echarts@6.1.0         dist/echarts.min.js     echarts-6.1.0/echarts.min.js"
  "echarts@6.1.0         LICENSE                 echarts-6.1.0/LICENSE"
  "echarts@6.1.0         NOTICE                  echarts-6.1.0/NOTICE"
  "echarts@6.1.0         licenses/LICENSE-d3     echarts-6.1.0/LICENSE-d3"
  "htmx.org@2.0.11       dist/htmx.min.js        htmx-2.0.11/htmx.min.js"
  "htmx.org@2.0.11       LICENSE                 htmx-2.0.11/LICENSE"
  "tom-select@2.6.2      dist/js/tom-select.complete.min.js  tom-select-2.6.2/tom-select.complete.min.js"
  "tom-select@2.6.2      dist/css/tom-select.min.css         tom-select-2.6.2/tom-select.min.css"
  "tom-select@2.6.2      LICENSE                 tom-select-2.6.2/LICENSE"
  "sortablejs@1.15.7     Sortable.min.js         sortablejs-1.15.7/Sortable.min.js"
  "sortablejs@1.15.7     LICENSE                 sortablejs-1.15.7/LICENSE"
  "axe-core@4.14.1       axe.min.js              axe-core-4.14.1/axe.min.js"
  "axe-core@4.14.1       LICENSE                 axe-core-4.14.1/LICENSE"
)

command -v npm >/dev/null || { echo "fetch.sh: npm is needed (apt-get install npm)" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/stage"

# Each package once: packed (npm checks the registry's integrity hash), then unpacked.
declare -A unpacked=()
for line in "${FILES[@]}"; do
  read -r spec _ _ <<<"$line"
  [[ -n "${unpacked[$spec]:-}" ]] && continue
  dir="$tmp/pkg${#unpacked[@]}"
  mkdir -p "$dir"
  echo "fetching $spec"
  npm pack --silent --ignore-scripts --pack-destination "$dir" "$spec" >/dev/null
  tar -xzf "$dir"/*.tgz -C "$dir"
  unpacked[$spec]="$dir/package"
done

for line in "${FILES[@]}"; do
  read -r spec src dest <<<"$line"
  mkdir -p "$(dirname "$tmp/stage/$dest")"
  cp "${unpacked[$spec]}/$src" "$tmp/stage/$dest"
done

if [[ "$mode" == "--update" ]]; then
  (cd "$tmp/stage" && for line in "${FILES[@]}"; do
     read -r _ _ dest <<<"$line"
     sha256sum "$dest"
   done) >"$here/SHA256SUMS"
  echo "SHA256SUMS written anew"
else
  # Every file has its sum, and every sum matches the download.
  for line in "${FILES[@]}"; do
    read -r _ _ dest <<<"$line"
    grep -q "  $dest\$" "$here/SHA256SUMS" || { echo "fetch.sh: no sum for $dest" >&2; exit 1; }
  done
  (cd "$tmp/stage" && sha256sum --quiet --strict -c "$here/SHA256SUMS")
  echo "all $((${#FILES[@]})) files match SHA256SUMS"
fi

if [[ "$mode" != "--check" ]]; then
  cp -R "$tmp/stage/." "$here/"
  echo "written to $here"
fi

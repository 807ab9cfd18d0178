#!/usr/bin/env bash
# Builds an example plugin out of tree, as a plugin author would: install the SDK (the
# "sdk" component only) from a supportgw build tree into a prefix, then configure and
# build the example against that prefix alone.
#
#   build_example_plugin.sh <main build dir> <example source dir> <work dir> [cmake args...]
#
# The plugin ends up in <work dir>/build; extra arguments go to the example's configure
# step (-DALERTMANAGER_BUILD_TESTS=ON).
set -euo pipefail

if [[ $# -lt 3 ]]; then
  echo "usage: $0 <main build dir> <example source dir> <work dir> [cmake args...]" >&2
  exit 2
fi
main_build=$1
example=$2
work=$3
shift 3

prefix="$work/sdk-prefix"
rm -rf "$prefix"
mkdir -p "$work"

cmake --install "$main_build" --prefix "$prefix" --component sdk
cmake -S "$example" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_PREFIX_PATH="$prefix" "$@"
cmake --build "$work/build"

# The prefix must hold a package that stands on its own: nothing of the main build tree.
if grep -rq -- "$(cd "$main_build" && pwd)" "$prefix/lib"*/cmake/SupportGateway/; then
  echo "the installed SDK package refers to the build tree $main_build" >&2
  exit 1
fi

shopt -s nullglob
plugins=("$work/build"/*.so)
if [[ ${#plugins[@]} -eq 0 ]]; then
  echo "no plugin was built in $work/build" >&2
  exit 1
fi
for plugin in "${plugins[@]}"; do
  echo "built plugin: $plugin"
done

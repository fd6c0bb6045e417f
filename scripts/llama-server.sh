#!/usr/bin/env bash
# Builds llama.cpp's llama-server and llama-convert-llama2c-to-ggml once, from the source that the npm package
# node-llama-cpp ships as a git bundle, and caches them outside the repo keyed by that version. Prints the cache
# directory (bin/llama-server, bin/llama-convert-llama2c-to-ggml, models/ggml-vocab-llama-spm.gguf).
# Used by the inference tests; a second call finds the cache and returns at once.
set -euo pipefail
VERSION=3.21.1
CACHE_ROOT=${MESH_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/planetary-mesh}
DIR="$CACHE_ROOT/llama.cpp-node-llama-cpp-$VERSION"
done_marker() { [ -x "$DIR/bin/llama-server" ] && [ -x "$DIR/bin/llama-convert-llama2c-to-ggml" ] \
  && [ -f "$DIR/models/ggml-vocab-llama-spm.gguf" ]; }
if done_marker; then echo "$DIR"; exit 0; fi
mkdir -p "$CACHE_ROOT"
exec 9>"$DIR.lock"
flock 9
if done_marker; then echo "$DIR"; exit 0; fi
for tool in npm git cmake g++; do
  command -v "$tool" >/dev/null || { echo "llama-server.sh: $tool is required to build llama.cpp" >&2; exit 2; }
done
WORK=$(mktemp -d "$CACHE_ROOT/build.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm pack --silent "node-llama-cpp@$VERSION" >/dev/null
tar xzf node-llama-cpp-*.tgz
git -c advice.detachedHead=false clone -q package/llama/gitRelease.bundle llama.cpp
cmake -S llama.cpp -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF -DLLAMA_BUILD_TESTS=OFF \
  -DLLAMA_OPENSSL=OFF -DLLAMA_CURL=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_BUILD_APP=OFF \
  -DGGML_NATIVE=OFF -DGGML_OPENMP=OFF >build.log 2>&1 || { tail -40 build.log >&2; exit 1; }
cmake --build build -j "$(nproc)" --target llama-server llama-convert-llama2c-to-ggml >>build.log 2>&1 \
  || { tail -40 build.log >&2; exit 1; }
rm -rf "$DIR.tmp" && mkdir -p "$DIR.tmp/bin" "$DIR.tmp/models"
cp build/bin/llama-server build/bin/llama-convert-llama2c-to-ggml "$DIR.tmp/bin/"
cp llama.cpp/models/ggml-vocab-llama-spm.gguf "$DIR.tmp/models/"
rm -rf "$DIR" && mv "$DIR.tmp" "$DIR"
echo "$DIR"

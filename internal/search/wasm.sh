#!/bin/sh
# Build kb's search module for the browser.
#
#   internal/search/wasm.sh [OUTDIR]      (run from anywhere in the repository)
#
# writes into OUTDIR (default bin/search):
#   kbsearch.wasm   cmd/kbsearch for GOOS=js GOARCH=wasm, -trimpath -ldflags='-s -w'
#                   and -buildvcs=false, so the bytes depend on the source
#                   alone, not on the commit it is built from
#   wasm_exec.js    the JavaScript glue of the Go toolchain that built it
#   go.wasm.mod     go.mod with go.etcd.io/bbolt and zapx v11 to v16
#   go.wasm.sum     replaced by our stubs, and its checksums; regenerated
#                   on every run
#
# bbolt does not compile for js/wasm, and bleve imports it even though
# the browser never opens an on-disk index. The wasm build alone reads
# go.wasm.mod, which replaces bbolt with internal/search/internal/bboltstub;
# go.mod, and so the native build, never mention the stub. Generating
# go.wasm.mod from go.mod each time keeps every other version identical
# between the two builds.
#
# scorch also registers a plugin for every zap version it can read; the
# browser reads only v17, the version kb writes. Stubs of v11 to v16
# that refuse every operation make the module 9% smaller.
#
# wasm_exec.js must come from the same Go version as the module: it is
# copied from $(go env GOROOT)/lib/wasm (misc/wasm before Go 1.24).
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-"$root/bin/search"}
mkdir -p "$out"
out=$(cd "$out" && pwd)

cp "$root/go.mod" "$out/go.wasm.mod"
cp "$root/go.sum" "$out/go.wasm.sum"
cd "$root"
# Relative paths, so that the module does not depend on where the
# repository is.
go mod edit -modfile="$out/go.wasm.mod" \
	-replace "go.etcd.io/bbolt=./internal/search/internal/bboltstub"
for v in 11 12 13 14 15 16; do
	go mod edit -modfile="$out/go.wasm.mod" \
		-replace "github.com/blevesearch/zapx/v$v=./internal/search/internal/zapstub/v$v"
done

GOOS=js GOARCH=wasm go build -modfile="$out/go.wasm.mod" -trimpath -buildvcs=false \
	-ldflags='-s -w' -o "$out/kbsearch.wasm" ./cmd/kbsearch

goroot=$(go env GOROOT)
for f in "$goroot/lib/wasm/wasm_exec.js" "$goroot/misc/wasm/wasm_exec.js"; do
	if [ -f "$f" ]; then
		cp "$f" "$out/wasm_exec.js"
		break
	fi
done
[ -f "$out/wasm_exec.js" ] || { echo "wasm.sh: no wasm_exec.js under $goroot" >&2; exit 1; }

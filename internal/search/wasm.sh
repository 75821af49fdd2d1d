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
#   go.wasm.mod     go.mod with go.etcd.io/bbolt and github.com/blevesearch/geo
#   go.wasm.sum     replaced by stubs of our own, and its checksums;
#                   regenerated on every run
#
# The wasm build alone reads go.wasm.mod; go.mod, and so the native
# build, never mention the stubs. Generating go.wasm.mod from go.mod
# each time keeps every other version identical between the two builds.
# Each stub declares only the names bleve v2.6.3 compiles against and
# does nothing:
#
#   internal/search/internal/bboltstub  bbolt does not compile for
#       js/wasm, and bleve's util package imports it for on-disk indexes,
#       which the browser never opens.
#   internal/search/internal/geostub    bleve's document, mapping, search
#       and searcher packages compile against the s2 geometry and geojson
#       packages, and their JSON decoder; kb's index has no geo fields.
#       Leaving them out makes the module 118 KB (6%) smaller gzip'd.
#
# The search engine in the module is bleve's searchers over kb's own
# segment reader and queries: internal/search imports neither bleve's
# root package nor scorch nor bleve's query package in the browser
# build (see reader.go and internal/query), which would nearly triple the
# module's size. TestWasmSize checks the shipped module against its
# budget of 2,000,000 bytes gzip'd.
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
	-replace "go.etcd.io/bbolt=./internal/search/internal/bboltstub" \
	-replace "github.com/blevesearch/geo=./internal/search/internal/geostub"

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

//go:build js && wasm

// Command kbsearch is kb's search engine compiled to WebAssembly: the
// same internal/search code that kb search runs natively, opened from
// bytes in a Web Worker (assets/search/worker.js). It is glue only.
//
// On start it defines globalThis.kbsearch and then calls
// globalThis.kbsearchReady() if that is a function:
//
//	kbsearch.open(manifestJSON, mappingJSON) -> error string, "" on success
//	kbsearch.alloc(shard, size)              -> error string
//	kbsearch.write(shard, offset, chunk)     -> error string
//	kbsearch.load(shard)                     -> error string
//	kbsearch.search(requestJSON)             -> result JSON or {"error": "..."}
//
// A shard is copied into a buffer allocated here (alloc, then write it
// whole or in chunks, then load), which the index then uses in place.
// Build it with internal/search/wasm.sh.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"syscall/js"

	"github.com/kb-postmortems/kb/internal/search"
)

func main() {
	g := &glue{bufs: map[string][]byte{}}
	api := js.Global().Get("Object").New()
	api.Set("open", fn(g.open))
	api.Set("alloc", fn(g.alloc))
	api.Set("write", fn(g.write))
	api.Set("load", fn(g.load))
	api.Set("search", js.FuncOf(func(_ js.Value, args []js.Value) any {
		return g.search(args)
	}))
	js.Global().Set("kbsearch", api)
	if ready := js.Global().Get("kbsearchReady"); ready.Type() == js.TypeFunction {
		ready.Invoke()
	}
	select {} // serve calls until the worker ends
}

// fn wraps a Go function as a JavaScript function returning an error
// message, empty on success.
func fn(f func(args []js.Value) error) js.Func {
	return js.FuncOf(func(_ js.Value, args []js.Value) any {
		if err := f(args); err != nil {
			return err.Error()
		}
		return ""
	})
}

type glue struct {
	ix   *search.Index
	bufs map[string][]byte // shards being received
}

func (g *glue) open(args []js.Value) error {
	if len(args) != 2 {
		return errors.New("open(manifestJSON, mappingJSON)")
	}
	ix, err := search.NewIndex([]byte(args[0].String()), []byte(args[1].String()))
	if err != nil {
		return err
	}
	g.ix = ix
	return nil
}

func (g *glue) alloc(args []js.Value) error {
	if len(args) != 2 {
		return errors.New("alloc(shard, size)")
	}
	size := args[1].Int()
	if size < 0 {
		return fmt.Errorf("alloc: bad size %d", size)
	}
	g.bufs[args[0].String()] = make([]byte, size)
	return nil
}

func (g *glue) write(args []js.Value) error {
	if len(args) != 3 {
		return errors.New("write(shard, offset, chunk)")
	}
	buf, ok := g.bufs[args[0].String()]
	if !ok {
		return fmt.Errorf("write: shard %q not allocated", args[0].String())
	}
	off, chunk := args[1].Int(), args[2]
	if off < 0 || off+chunk.Length() > len(buf) {
		return fmt.Errorf("write: %d bytes at %d overflow the %d allocated", chunk.Length(), off, len(buf))
	}
	js.CopyBytesToGo(buf[off:], chunk)
	return nil
}

func (g *glue) load(args []js.Value) error {
	if len(args) != 1 || g.ix == nil {
		return errors.New("load(shard) after open")
	}
	name := args[0].String()
	buf, ok := g.bufs[name]
	if !ok {
		return fmt.Errorf("load: shard %q not allocated", name)
	}
	delete(g.bufs, name)
	return g.ix.Load(name, buf)
}

func (g *glue) search(args []js.Value) string {
	fail := func(err error) string {
		b, _ := json.Marshal(map[string]string{"error": err.Error()})
		return string(b)
	}
	if len(args) != 1 || g.ix == nil {
		return fail(errors.New("search(requestJSON) after open"))
	}
	var req search.Request
	if err := json.Unmarshal([]byte(args[0].String()), &req); err != nil {
		return fail(fmt.Errorf("search: bad request: %w", err))
	}
	res, err := g.ix.Search(context.Background(), req)
	if err != nil {
		return fail(err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		return fail(err)
	}
	return string(b)
}

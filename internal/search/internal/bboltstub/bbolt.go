// Package bbolt stands in for go.etcd.io/bbolt in the WebAssembly
// build of kb's search module, where bbolt does not compile (it has no
// js/wasm definitions of its file locking and memory-map limits).
//
// bleve's util package imports bbolt for on-disk indexes, which the
// browser never opens, so every operation here fails. This is a
// stand-in written for kb that declares just the names bleve v2.6.3
// compiles against; it shares no code with bbolt. Upstream: bleve
// issue #1449 and bbolt pull request #1274 would make it unnecessary.
//
// The native build never sees this module: only the module file that
// internal/search/wasm.sh generates replaces bbolt with it.
package bbolt

import (
	"errors"
	"os"
	"time"
)

// ErrUnsupported is returned by every operation that could do work.
var ErrUnsupported = errors.New("bbolt: not available in the browser build")

// ErrBucketNotFound is the error bleve compares bucket deletions with.
var ErrBucketNotFound = errors.New("bucket not found")

// DefaultFillPercent is the fill percent bleve reads as a default.
const DefaultFillPercent = 0.5

// Options are the options bleve sets; they are ignored.
type Options struct {
	Timeout         time.Duration
	ReadOnly        bool
	InitialMmapSize int
	OpenFile        func(name string, flag int, perm os.FileMode) (*os.File, error)
}

// DefaultOptions are the options bleve copies.
var DefaultOptions = &Options{}

// Open always fails.
func Open(path string, mode os.FileMode, options *Options) (*DB, error) {
	return nil, ErrUnsupported
}

// DB is never opened.
type DB struct {
	NoSync bool
}

// Stats are empty.
type Stats struct{}

func (*DB) Begin(writable bool) (*Tx, error) { return nil, ErrUnsupported }
func (*DB) View(func(*Tx) error) error       { return ErrUnsupported }
func (*DB) Update(func(*Tx) error) error     { return ErrUnsupported }
func (*DB) Batch(func(*Tx) error) error      { return ErrUnsupported }
func (*DB) Sync() error                      { return ErrUnsupported }
func (*DB) Close() error                     { return nil }
func (*DB) Stats() Stats                     { return Stats{} }

// Tx is never begun.
type Tx struct{}

func (*Tx) Bucket(name []byte) *Bucket                           { return nil }
func (*Tx) CreateBucketIfNotExists(name []byte) (*Bucket, error) { return nil, ErrUnsupported }
func (*Tx) Commit() error                                        { return ErrUnsupported }
func (*Tx) Rollback() error                                      { return nil }

// Bucket is never found.
type Bucket struct {
	FillPercent float64
}

func (*Bucket) Bucket(name []byte) *Bucket                           { return nil }
func (*Bucket) CreateBucketIfNotExists(name []byte) (*Bucket, error) { return nil, ErrUnsupported }
func (*Bucket) DeleteBucket(name []byte) error                       { return ErrUnsupported }
func (*Bucket) Get(key []byte) []byte                                { return nil }
func (*Bucket) Put(key, value []byte) error                          { return ErrUnsupported }
func (*Bucket) Delete(key []byte) error                              { return ErrUnsupported }
func (*Bucket) ForEach(func(k, v []byte) error) error                { return ErrUnsupported }
func (*Bucket) Cursor() *Cursor                                      { return &Cursor{} }

// Cursor is always past the end.
type Cursor struct{}

func (*Cursor) First() (key, value []byte)           { return nil, nil }
func (*Cursor) Last() (key, value []byte)            { return nil, nil }
func (*Cursor) Next() (key, value []byte)            { return nil, nil }
func (*Cursor) Prev() (key, value []byte)            { return nil, nil }
func (*Cursor) Seek(seek []byte) (key, value []byte) { return nil, nil }
func (*Cursor) Delete() error                        { return ErrUnsupported }

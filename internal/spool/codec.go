package spool

import (
	"encoding/binary"
	"errors"
)

// Writer lays out values in the form a [Reader] reads back: each integer
// as a varint, each string as its length and its bytes. It knows no
// types: the package that puts a value in a spool writes its fields in
// order and reads them back in the same order. The zero value is ready.
type Writer struct{ b []byte }

// Grow makes room for n more bytes.
func (w *Writer) Grow(n int) {
	if cap(w.b)-len(w.b) < n {
		b := make([]byte, len(w.b), len(w.b)+n)
		copy(b, w.b)
		w.b = b
	}
}

func (w *Writer) Uint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }
func (w *Writer) Int(v int64)   { w.b = binary.AppendVarint(w.b, v) }

func (w *Writer) Bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

func (w *Writer) Str(s string) {
	w.Uint(uint64(len(s)))
	w.b = append(w.b, s...)
}

// Bytes is what was written.
func (w *Writer) Bytes() []byte { return w.b }

// ErrCorrupt is what a Reader reports when its bytes end early or hold a
// length longer than what is left: a spool read back wrong, never content.
var ErrCorrupt = errors.New("spool: value cut short or corrupt")

// Reader reads back what a Writer wrote. After the first error every read
// returns a zero value, and Err reports the error: a caller checks once,
// at the end.
type Reader struct {
	s   string // what is left, one copy shared by the strings read
	err error
}

// NewReader reads b. The strings it returns share one copy of b; b may be
// reused once NewReader returns.
func NewReader(b []byte) *Reader { return &Reader{s: string(b)} }

// Uint reads a varint as encoding/binary writes it.
func (r *Reader) Uint() uint64 {
	if r.err != nil {
		return 0
	}
	var v uint64
	for i := 0; i < len(r.s) && i < binary.MaxVarintLen64; i++ {
		c := r.s[i]
		if c < 0x80 {
			if i == binary.MaxVarintLen64-1 && c > 1 {
				break // overflows 64 bits
			}
			r.s = r.s[i+1:]
			return v | uint64(c)<<(7*i)
		}
		v |= uint64(c&0x7f) << (7 * i)
	}
	r.err = ErrCorrupt
	return 0
}

// Int reads a zig-zag varint as encoding/binary writes it.
func (r *Reader) Int() int64 {
	u := r.Uint()
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return v
}

func (r *Reader) Bool() bool { return r.Uint() != 0 }

func (r *Reader) Str() string {
	n := r.Len()
	s := r.s[:n]
	r.s = r.s[n:]
	return s
}

// Len reads a count or a length, which can never be more than the bytes
// left: a corrupt count does not make a caller allocate without bound.
func (r *Reader) Len() int {
	n := r.Uint()
	if n > uint64(len(r.s)) {
		r.err = ErrCorrupt
		return 0
	}
	return int(n)
}

// Err is the first error met, or ErrCorrupt when bytes are left over
// after the last read: a value read with the wrong layout.
func (r *Reader) Err() error {
	if r.err == nil && len(r.s) > 0 {
		return ErrCorrupt
	}
	return r.err
}

package spool

import (
	"errors"
	"math"
	"testing"
)

func TestCodecRoundTrip(t *testing.T) {
	var w Writer
	w.Grow(64)
	w.Uint(0)
	w.Uint(math.MaxUint64)
	w.Int(-1)
	w.Int(math.MinInt64)
	w.Bool(true)
	w.Bool(false)
	w.Str("")
	w.Str("héllo\x00world")
	w.Uint(3)

	r := NewReader(w.Bytes())
	if v := r.Uint(); v != 0 {
		t.Errorf("Uint = %d, want 0", v)
	}
	if v := r.Uint(); v != math.MaxUint64 {
		t.Errorf("Uint = %d, want max", v)
	}
	if v := r.Int(); v != -1 {
		t.Errorf("Int = %d, want -1", v)
	}
	if v := r.Int(); v != math.MinInt64 {
		t.Errorf("Int = %d, want min", v)
	}
	if !r.Bool() || r.Bool() {
		t.Error("Bool: want true, false")
	}
	if s := r.Str(); s != "" {
		t.Errorf("Str = %q, want empty", s)
	}
	if s := r.Str(); s != "héllo\x00world" {
		t.Errorf("Str = %q", s)
	}
	if n := r.Len(); n != 3 {
		// 3 is a count, and no bytes follow it: a Len past the end is
		// corrupt.
		if !errors.Is(r.Err(), ErrCorrupt) {
			t.Errorf("Len = %d with no error", n)
		}
	} else {
		t.Error("Len of 3 with no bytes left was accepted")
	}
}

// Every prefix of a value, and a value with a byte left over, is an
// error, never a panic or a partial success.
func TestCodecCorrupt(t *testing.T) {
	var w Writer
	w.Uint(2)
	w.Str("alpha")
	w.Int(-42)
	w.Str("beta")
	w.Int(300)
	w.Str("gamma")
	full := w.Bytes()
	read := func(b []byte) error {
		r := NewReader(b)
		for range r.Len() {
			r.Str()
			r.Int()
		}
		r.Str()
		return r.Err()
	}
	if err := read(full); err != nil {
		t.Fatalf("whole value: %v", err)
	}
	for n := range len(full) {
		if err := read(full[:n]); !errors.Is(err, ErrCorrupt) {
			t.Errorf("first %d of %d bytes: err = %v, want ErrCorrupt", n, len(full), err)
		}
	}
	if err := read(append(full[:len(full):len(full)], 0)); !errors.Is(err, ErrCorrupt) {
		t.Errorf("a byte left over: err = %v, want ErrCorrupt", err)
	}
}

// A string read back does not alias the bytes it was read from, which
// the spool reuses.
func TestCodecStringsCopy(t *testing.T) {
	var w Writer
	w.Str("kept")
	b := w.Bytes()
	r := NewReader(b)
	for i := range b {
		b[i] = 'x'
	}
	if s := r.Str(); s != "kept" {
		t.Errorf("Str = %q after its bytes were reused", s)
	}
}

// Reader decodes what encoding/binary encodes, at every varint length.
func TestCodecVarints(t *testing.T) {
	for shift := range 64 {
		for _, v := range []uint64{1<<shift - 1, 1 << shift, 1<<shift + 1} {
			var w Writer
			w.Uint(v)
			w.Int(int64(v))
			w.Int(-int64(v))
			r := NewReader(w.Bytes())
			if got := r.Uint(); got != v {
				t.Errorf("Uint(%d) read back as %d", v, got)
			}
			if got := r.Int(); got != int64(v) {
				t.Errorf("Int(%d) read back as %d", int64(v), got)
			}
			if got := r.Int(); got != -int64(v) {
				t.Errorf("Int(%d) read back as %d", -int64(v), got)
			}
			if err := r.Err(); err != nil {
				t.Errorf("%d: %v", v, err)
			}
		}
	}
	// Ten bytes whose last carries more than one bit is past 64 bits.
	r := NewReader([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f})
	if r.Uint(); !errors.Is(r.Err(), ErrCorrupt) {
		t.Error("a varint past 64 bits was accepted")
	}
}

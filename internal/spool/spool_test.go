package spool

import (
	"bytes"
	"fmt"
	"os"
	"sync"
	"testing"
)

func spools(t *testing.T) map[string]*Spool {
	t.Helper()
	f, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return map[string]*Spool{"file": f, "memory": Memory()}
}

func TestPutGet(t *testing.T) {
	for name, s := range spools(t) {
		t.Run(name, func(t *testing.T) {
			strs := [][]byte{[]byte("first"), nil, bytes.Repeat([]byte("x"), 3*bufSize+7), []byte("é\x00last")}
			refs := make([]Ref, len(strs))
			for i, b := range strs {
				r, err := s.Put(b)
				if err != nil {
					t.Fatal(err)
				}
				refs[i] = r
			}
			// Read back out of order, twice: a read must not disturb
			// later ones.
			for range 2 {
				for i := len(strs) - 1; i >= 0; i-- {
					got, err := s.Get(refs[i])
					if err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(got, strs[i]) {
						t.Errorf("Get(%d) = %d bytes, want %d", i, len(got), len(strs[i]))
					}
					if refs[i].Len() != int64(len(strs[i])) {
						t.Errorf("Len(%d) = %d, want %d", i, refs[i].Len(), len(strs[i]))
					}
				}
			}
		})
	}
}

// A string put after others were read is still read back: reads flush
// the buffer, and the writes after go on where it ended.
func TestPutAfterGet(t *testing.T) {
	for name, s := range spools(t) {
		t.Run(name, func(t *testing.T) {
			a, _ := s.Put([]byte("alpha"))
			if got, err := s.Get(a); err != nil || string(got) != "alpha" {
				t.Fatalf("Get(a) = %q, %v", got, err)
			}
			b, _ := s.Put([]byte("beta"))
			for _, c := range []struct {
				r    Ref
				want string
			}{{a, "alpha"}, {b, "beta"}} {
				if got, err := s.Get(c.r); err != nil || string(got) != c.want {
					t.Errorf("Get = %q, %v; want %q", got, err, c.want)
				}
			}
		})
	}
}

// What Get returns is the caller's: changing it changes nothing kept.
func TestGetCopies(t *testing.T) {
	for name, s := range spools(t) {
		t.Run(name, func(t *testing.T) {
			in := []byte("kept")
			r, _ := s.Put(in)
			in[0] = 'X'
			got, _ := s.Get(r)
			got[1] = 'Y'
			again, _ := s.Get(r)
			if string(again) != "kept" {
				t.Errorf("Get = %q, want %q", again, "kept")
			}
		})
	}
}

func TestConcurrent(t *testing.T) {
	for name, s := range spools(t) {
		t.Run(name, func(t *testing.T) {
			const n = 200
			refs := make([]Ref, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r, err := s.Put(fmt.Appendf(nil, "string %d %s", i, bytes.Repeat([]byte{'a' + byte(i%26)}, i*97)))
					if err != nil {
						t.Error(err)
					}
					refs[i] = r
					if _, err := s.Get(r); err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					got, err := s.Get(refs[i])
					want := fmt.Appendf(nil, "string %d %s", i, bytes.Repeat([]byte{'a' + byte(i%26)}, i*97))
					if err != nil || !bytes.Equal(got, want) {
						t.Errorf("Get(%d): %d bytes, %v", i, len(got), err)
					}
				}()
			}
			wg.Wait()
		})
	}
}

// The spool's file is gone from its folder at once, so a killed build
// leaves nothing behind; Close releases it.
func TestNoFileLeft(t *testing.T) {
	dir := t.TempDir()
	s, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Put([]byte("text"))
	if ents, _ := os.ReadDir(dir); len(ents) != 0 && s.name == "" {
		t.Errorf("%s holds %d files after New, want none", dir, len(ents))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("%s holds %d files after Close, want none", dir, len(ents))
	}
	if _, err := s.Get(r); err == nil {
		t.Error("Get after Close gave no error")
	}
}

func TestBadRef(t *testing.T) {
	for name, s := range spools(t) {
		t.Run(name, func(t *testing.T) {
			s.Put([]byte("short"))
			for _, r := range []Ref{{off: 2, n: 100}, {off: -5, n: 3}} {
				if _, err := s.Get(r); err == nil {
					t.Errorf("Get(%+v) gave no error", r)
				}
			}
		})
	}
}

func TestNewInMissingFolder(t *testing.T) {
	if _, err := New(t.TempDir() + "/missing"); err == nil {
		t.Error("New in a missing folder gave no error")
	}
}

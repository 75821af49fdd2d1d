// Package spool keeps what one stage of a build makes for a later one out
// of memory. A postmortem's HTML, timeline events and searchable text are
// made when its file is read, while its tree is at hand, but used only
// when its page is written and its shard of the index is built: held in
// memory for every postmortem of a large archive, they were most of a
// build's heap. Its sections wait there too, once lint has compared them.
// [Writer] and [Reader] lay such values out as bytes.
//
// A spool is one append-only temporary file. Writes go through a buffer
// and reads are positional, so the pages and shards made in parallel read
// side by side. The file is unlinked as soon as it is made where the system
// allows it, so a build that is killed leaves nothing behind.
package spool

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sync"
)

// Spool holds byte strings until they are read back. It is safe for
// concurrent use.
type Spool struct {
	mu      sync.Mutex
	f       *os.File
	w       *bufio.Writer
	name    string // to remove on Close, when it could not be removed at once
	size    int64  // bytes written, buffered ones included
	flushed int64  // bytes in the file
	mem     [][]byte
}

// Ref is where a byte string was put. The zero Ref is the empty string.
type Ref struct {
	off int64 // in the file; in memory, -(index+1)
	n   int64
}

// Len is the length of the byte string.
func (r Ref) Len() int64 { return r.n }

// bufSize is the write buffer: large enough that most bodies do not cost
// a system call each.
const bufSize = 256 << 10

// New makes a spool in a temporary file in dir (the system's temporary
// folder when dir is empty).
func New(dir string) (*Spool, error) {
	f, err := os.CreateTemp(dir, "kb-spool-*")
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	s := &Spool{f: f, w: bufio.NewWriterSize(f, bufSize)}
	if os.Remove(f.Name()) != nil {
		s.name = f.Name() // an open file cannot be removed on Windows
	}
	return s, nil
}

// Memory makes a spool that keeps what it is given in memory: for a site
// read for lint or one search, whose texts live no longer than the
// command, and where a file cannot be made.
func Memory() *Spool { return &Spool{} }

// Put keeps a copy of b and says where.
func (s *Spool) Put(b []byte) (Ref, error) {
	if len(b) == 0 {
		return Ref{}, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		s.mem = append(s.mem, append([]byte(nil), b...))
		return Ref{off: -int64(len(s.mem)), n: int64(len(b))}, nil
	}
	if _, err := s.w.Write(b); err != nil {
		return Ref{}, fmt.Errorf("spool: %w", err)
	}
	r := Ref{off: s.size, n: int64(len(b))}
	s.size += r.n
	return r, nil
}

// Get returns the byte string put at r, in a new slice the caller owns.
func (s *Spool) Get(r Ref) ([]byte, error) {
	if r.n == 0 {
		return nil, nil
	}
	if r.off < 0 {
		s.mu.Lock()
		defer s.mu.Unlock()
		i := int(-r.off - 1)
		if i >= len(s.mem) || int64(len(s.mem[i])) != r.n {
			return nil, fmt.Errorf("spool: no string at %d", r.off)
		}
		return append([]byte(nil), s.mem[i]...), nil
	}
	if err := s.flushTo(r.off + r.n); err != nil {
		return nil, err
	}
	b := make([]byte, r.n)
	if _, err := s.f.ReadAt(b, r.off); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("spool: %w", err)
	}
	return b, nil
}

// flushTo makes sure the file holds its first end bytes.
func (s *Spool) flushTo(end int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return fmt.Errorf("spool: closed")
	}
	if end > s.size {
		return fmt.Errorf("spool: no string up to byte %d", end)
	}
	if end <= s.flushed {
		return nil
	}
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	s.flushed = s.size
	return nil
}

// Close releases the spool and its file. What was put can no longer be
// read.
func (s *Spool) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mem = nil
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	if s.name != "" {
		if rerr := os.Remove(s.name); err == nil {
			err = rerr
		}
	}
	s.f, s.w = nil, nil
	if err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	return nil
}

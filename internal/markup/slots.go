package markup

import (
	"bytes"
	"strconv"
)

// HTML is a body rendered before the rest of the site is read. Where a
// relative link leads (another postmortem's page, a log's page, an image
// published from a folder above) depends on files other workers are
// reading, so the renderer leaves such a destination as a slot, and the
// page fills the slots once every file is known. The tree can then be
// dropped as soon as its file is read.
type HTML struct {
	Bytes []byte
	Slots []Slot
}

// Slot is a URL left to fill in [HTML]: At is the offset in Bytes, inside
// the attribute's quotes, where it goes; Dest is the destination as the
// source wrote it.
type Slot struct {
	At   int
	Dest string
}

// Fill returns the HTML with each slot's destination passed through
// resolve (nil keeps it as written). A destination that resolve turns
// into one a browser would run is left empty.
func (h HTML) Fill(resolve func(dest string) string) []byte {
	if len(h.Slots) == 0 {
		return h.Bytes
	}
	var b bytes.Buffer
	b.Grow(len(h.Bytes) + 32*len(h.Slots))
	last := 0
	for _, s := range h.Slots {
		b.Write(h.Bytes[last:s.At])
		last = s.At
		u := s.Dest
		if resolve != nil {
			u = resolve(u)
		}
		if safe, ok := SafeURL(u); ok {
			escapeTo(&b, safe)
		}
	}
	b.Write(h.Bytes[last:])
	return b.Bytes()
}

// Release drops the tree of d: its body and its outline's nodes. The
// outline's titles, keys, ids and positions stay, for the pages that list
// sections. The entries of a log share nodes with the log's own page;
// only references are dropped, never the nodes themselves, so releasing
// one leaves the others whole.
func (d *Doc) Release() {
	d.Body = nil
	var walk func([]*Section)
	walk = func(ss []*Section) {
		for _, s := range ss {
			s.Heading, s.Body = nil, nil
			walk(s.Sections)
		}
	}
	walk(d.Sections)
}

// slotted finds the slots of a rendered body again after re-balancing,
// which rewrites the bytes around them: each slot is filled with a marker
// that occurs nowhere else, the result balanced, and the markers located
// and cut out. The marker is chosen against the body balanced with its
// destinations as written, since balancing decodes character references
// and could make a marker out of text that did not look like one.
func slotted(out []byte, slots []Slot) HTML {
	plain := balance(HTML{Bytes: out, Slots: slots}.Fill(nil))
	marker := "kb-slot-"
	for bytes.Contains(plain, []byte(marker)) || bytes.Contains(out, []byte(marker)) {
		marker += "x"
	}
	marked := make([]Slot, len(slots))
	for i, s := range slots {
		marked[i] = Slot{At: s.At, Dest: marker + strconv.Itoa(i) + "."}
	}
	b := balance(HTML{Bytes: out, Slots: marked}.Fill(nil))
	res := HTML{Bytes: make([]byte, 0, len(b))}
	for len(b) > 0 {
		i := bytes.Index(b, []byte(marker))
		if i < 0 {
			res.Bytes = append(res.Bytes, b...)
			break
		}
		res.Bytes = append(res.Bytes, b[:i]...)
		b = b[i+len(marker):]
		j := bytes.IndexByte(b, '.')
		n, err := strconv.Atoi(string(b[:max(j, 0)]))
		if j < 0 || err != nil || n < 0 || n >= len(slots) {
			// Not one of ours after all: keep it as it was.
			res.Bytes = append(res.Bytes, marker...)
			continue
		}
		res.Slots = append(res.Slots, Slot{At: len(res.Bytes), Dest: slots[n].Dest})
		b = b[j+1:]
	}
	return res
}

// escapeTo writes s escaped as html.EscapeString escapes it.
func escapeTo(b *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var e string
		switch s[i] {
		case '&':
			e = "&amp;"
		case '\'':
			e = "&#39;"
		case '<':
			e = "&lt;"
		case '>':
			e = "&gt;"
		case '"':
			e = "&#34;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(e)
		last = i + 1
	}
	b.WriteString(s[last:])
}

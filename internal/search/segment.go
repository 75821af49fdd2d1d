package search

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"slices"

	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zap "github.com/blevesearch/zapx/v17"
)

// The route from a shipped segment file to a searchable index, in both
// directions:
//
// Build hands a shard's documents to zap in one batch and ships the
// bytes of the segment zap makes in memory, the same bytes bleve's
// offline builder would write to a file; a shard too large for one
// batch goes through that builder, which writes a segment per batch and
// merges them into one file (scorch.go). The builder collects documents
// in a map, so the order in which they reach the segment would follow
// Go's map order and change from run to run. The segment plugin below
// sorts every batch by document id before handing it to zap, which
// makes the segment bytes a function of the input.
//
// Open does not read a bleve index directory: scorch's on-disk root
// needs bbolt and zap's loader needs mmap, and neither exists in the
// browser. It decodes the shipped segment in place from the bytes with
// zap.InitSegmentBase, and searches it through a reader of our own
// (reader.go) that answers as a scorch snapshot of that one segment
// would. The browser build does not link scorch at all (scorch_js.go).
//
// Both rely on zap's format and on how bleve's searchers use a reader,
// which are not documented contracts; the parity tests, which compare
// with bleve's own search over the same segment, fail when an upgrade
// changes them.

// pluginType is the segment type registered with scorch. The version
// is zap's, and the segment bytes are zap's own format.
const pluginType = "kb-zap"

// plugin wraps zap's segment plugin so that every batch is sorted by
// document id before zap sees it.
type plugin struct {
	zap.ZapPlugin
}

func (p *plugin) Type() string { return pluginType }

func (p *plugin) New(results []index.Document) (segment.Segment, uint64, error) {
	return p.ZapPlugin.New(sortedByID(results))
}

func (p *plugin) NewUsing(results []index.Document, config map[string]any) (segment.Segment, uint64, error) {
	return p.ZapPlugin.NewUsing(sortedByID(results), config)
}

func sortedByID(results []index.Document) []index.Document {
	sorted := slices.Clone(results)
	slices.SortStableFunc(sorted, func(a, b index.Document) int {
		return cmp.Compare(a.ID(), b.ID())
	})
	return sorted
}

// zap footer: crc (4), version (4), chunk mode (4), sections index
// offset (8), stored index offset (8), doc count (8), then before it
// the writer id and its length (4).
const footerLen = 4 + 4 + 4 + 8 + 8 + 8 + 4

// footer is the trailer of a zap segment file.
type footer struct {
	CRC, Version, ChunkMode uint32
	SectionsIndexOffset     uint64
	StoredIndexOffset       uint64
	NumDocs                 uint64
	WriterID                string
	Len                     int // bytes of footer, writer id included
}

func readFooter(b []byte) (footer, error) {
	var f footer
	if len(b) < footerLen {
		return f, fmt.Errorf("segment too short (%d bytes)", len(b))
	}
	end := len(b)
	u32 := func(at int) uint32 { return binary.BigEndian.Uint32(b[at : at+4]) }
	u64 := func(at int) uint64 { return binary.BigEndian.Uint64(b[at : at+8]) }
	f.CRC = u32(end - 4)
	f.Version = u32(end - 8)
	f.ChunkMode = u32(end - 12)
	f.SectionsIndexOffset = u64(end - 20)
	f.StoredIndexOffset = u64(end - 28)
	f.NumDocs = u64(end - 36)
	idLen := int(u32(end - 40))
	if idLen > len(b)-footerLen {
		return f, fmt.Errorf("segment footer: writer id length %d out of range", idLen)
	}
	f.WriterID = string(b[end-footerLen-idLen : end-footerLen])
	f.Len = footerLen + idLen
	if f.Version != zap.Version {
		return f, fmt.Errorf("segment is zap version %d, this build reads version %d: rebuild the site and the search module together", f.Version, zap.Version)
	}
	if f.WriterID != "" {
		return f, fmt.Errorf("segment was written through a file callback (%q), which this reader does not support", f.WriterID)
	}
	if f.StoredIndexOffset >= uint64(len(b)) || f.SectionsIndexOffset >= uint64(len(b)) {
		return f, errors.New("segment footer: offsets out of range")
	}
	return f, nil
}

// decodeSegment decodes a zap segment in place: b must stay unchanged
// for as long as the segment is used.
func decodeSegment(b []byte) (segment.Segment, error) {
	f, err := readFooter(b)
	if err != nil {
		return nil, err
	}
	sb, err := zap.InitSegmentBase(b[:len(b)-f.Len], f.CRC, f.ChunkMode, f.NumDocs,
		f.StoredIndexOffset, f.SectionsIndexOffset, nil, new(segment.Stats))
	if err != nil {
		return nil, fmt.Errorf("decode segment: %w", err)
	}
	return sb, nil
}

// canonicalize rewrites the parts of a zap segment that zap writes in
// Go map order, so that the same documents always give the same bytes.
//
// zap keeps its section types (inverted text, synonyms, geo shapes) in
// a map and, for every field, lists the (section type, offset) pairs in
// the order it ranges over that map. Empty sections write no data and
// record offset 0, so the order of the pairs is the only difference
// between two builds. This sorts each field's pairs by section type and
// recomputes the checksum; no offset moves.
func canonicalize(b []byte) error {
	f, err := readFooter(b)
	if err != nil {
		return err
	}
	body := b[:len(b)-f.Len]
	uvarint := func(at uint64) (uint64, uint64, error) {
		if at >= uint64(len(body)) {
			return 0, 0, errors.New("segment fields index: offset out of range")
		}
		v, n := binary.Uvarint(body[at:])
		if n <= 0 {
			return 0, 0, errors.New("segment fields index: bad varint")
		}
		return v, at + uint64(n), nil
	}
	numFields, at, err := uvarint(f.SectionsIndexOffset)
	if err != nil {
		return err
	}
	if at+numFields*8 > uint64(len(body)) {
		return errors.New("segment fields index: too short")
	}
	const pairLen = 2 + 8
	for i := range numFields {
		p := binary.BigEndian.Uint64(body[at+i*8:])
		nameLen, p, err := uvarint(p)
		if err != nil {
			return err
		}
		_, p, err = uvarint(p + nameLen) // field options
		if err != nil {
			return err
		}
		n, p, err := uvarint(p)
		if err != nil {
			return err
		}
		if p+n*pairLen > uint64(len(body)) {
			return errors.New("segment fields index: sections out of range")
		}
		pairs := make([][pairLen]byte, n)
		for j := range pairs {
			copy(pairs[j][:], body[p+uint64(j)*pairLen:])
		}
		slices.SortStableFunc(pairs, func(x, y [pairLen]byte) int {
			return cmp.Compare(binary.BigEndian.Uint16(x[:]), binary.BigEndian.Uint16(y[:]))
		})
		for j := range pairs {
			copy(body[p+uint64(j)*pairLen:], pairs[j][:])
		}
	}
	binary.BigEndian.PutUint32(b[len(b)-4:], crc32.ChecksumIEEE(b[:len(b)-4]))
	return nil
}

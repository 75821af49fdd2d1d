package site

import (
	"fmt"
	"time"

	"github.com/kb-postmortems/kb/internal/incident"
	"github.com/kb-postmortems/kb/internal/markup"
	"github.com/kb-postmortems/kb/internal/render"
	"github.com/kb-postmortems/kb/internal/spool"
	"github.com/kb-postmortems/kb/internal/timeline"
	"github.com/kb-postmortems/kb/internal/when"
)

// kept is where what only an incident's own page shows, and its text for
// the index, wait in the spool: its body HTML (its slots stay on the
// incident), its events, its sections (put once lint has read them) and
// its searchable sections (see encodeSections). A zero Ref is a part that
// was not spooled and is on the incident.
type kept struct{ html, events, sections, text spool.Ref }

// own gives an incident's page what the spool kept of it.
func (s *Site) own(inc *incident.Incident) (render.Own, error) {
	k := s.kept[inc]
	fail := func(err error) (render.Own, error) {
		return render.Own{}, &writeError{fmt.Errorf("%s: reading back its rendered page: %w", inc.Doc.Path, err)}
	}
	b, err := s.spool.Get(k.html)
	if err != nil {
		return fail(err)
	}
	own := render.Own{Body: markup.HTML{Bytes: b, Slots: inc.Body.HTML.Slots}}
	if k.events.Len() > 0 {
		if b, err = s.spool.Get(k.events); err != nil {
			return fail(err)
		}
		if own.Events, err = decodeEvents(b, s.Config.Location); err != nil {
			return fail(err)
		}
	}
	if k.sections.Len() > 0 {
		if b, err = s.spool.Get(k.sections); err != nil {
			return fail(err)
		}
		if own.Sections, err = decodeOutline(b); err != nil {
			return fail(err)
		}
	}
	return own, nil
}

// keeper holds the rows list pages share in the spool; a spool that
// fails is the disk's fault, not the content's.
type keeper struct{ sp *spool.Spool }

func (k keeper) Put(b []byte) (spool.Ref, error) {
	r, err := k.sp.Put(b)
	if err != nil {
		return r, &writeError{fmt.Errorf("keeping a list row: %w (free space in the temporary folder, or point TMPDIR at one with room)", err)}
	}
	return r, nil
}

func (k keeper) Get(r spool.Ref) ([]byte, error) {
	b, err := k.sp.Get(r)
	if err != nil {
		return nil, &writeError{fmt.Errorf("reading back a list row: %w", err)}
	}
	return b, nil
}

// encodeEvents writes an incident's events as the spool keeps them. A
// time keeps its zone's name and offset: the page shows both.
func encodeEvents(evs []timeline.Event) []byte {
	var w spool.Writer
	w.Uint(uint64(len(evs)))
	for _, e := range evs {
		writeDate(&w, e.At)
		w.Str(e.Clock)
		w.Str(e.Text)
		w.Str(e.Who)
		writePos(&w, e.Pos)
		w.Int(int64(e.Offset))
		w.Bool(e.HasOffset)
		w.Bool(e.OutOfOrder)
		w.Str(e.Milestone)
	}
	return w.Bytes()
}

// decodeEvents reads what encodeEvents wrote. A time in the site's zone
// comes back in it; another comes back in a fixed zone of the same name
// and offset, which shows it the same.
func decodeEvents(b []byte, site *time.Location) ([]timeline.Event, error) {
	r := spool.NewReader(b)
	zones := map[zoneKey]*time.Location{}
	out := make([]timeline.Event, r.Len())
	for i := range out {
		e := &out[i]
		e.At = readDate(r, site, zones)
		e.Clock, e.Text, e.Who = r.Str(), r.Str(), r.Str()
		e.Pos = readPos(r)
		e.Offset = time.Duration(r.Int())
		e.HasOffset, e.OutOfOrder = r.Bool(), r.Bool()
		e.Milestone = r.Str()
	}
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	return out, nil
}

type zoneKey struct {
	name   string
	offset int
}

func writeDate(w *spool.Writer, d when.Date) {
	w.Uint(uint64(d.Precision))
	w.Bool(d.Zoned)
	w.Str(d.Zone)
	if d.Time.IsZero() {
		w.Bool(false)
		return
	}
	w.Bool(true)
	name, offset := d.Time.Zone()
	w.Int(d.Time.Unix())
	w.Uint(uint64(d.Time.Nanosecond()))
	w.Str(name)
	w.Int(int64(offset))
}

func readDate(r *spool.Reader, site *time.Location, zones map[zoneKey]*time.Location) when.Date {
	d := when.Date{Precision: when.Precision(r.Uint()), Zoned: r.Bool(), Zone: r.Str()}
	if !r.Bool() {
		return d
	}
	t := time.Unix(r.Int(), int64(r.Uint()))
	z := zoneKey{r.Str(), int(r.Int())}
	if site == nil {
		site = time.UTC
	}
	if name, offset := t.In(site).Zone(); name == z.name && offset == z.offset {
		d.Time = t.In(site)
		return d
	}
	loc, ok := zones[z]
	if !ok {
		loc = time.FixedZone(z.name, z.offset)
		zones[z] = loc
	}
	d.Time = t.In(loc)
	return d
}

// encodeOutline writes an incident's sections, nested, as the spool
// keeps them; their texts and document nodes are gone by then.
func encodeOutline(ss []*incident.Section) []byte {
	var w spool.Writer
	writeOutline(&w, ss)
	return w.Bytes()
}

func writeOutline(w *spool.Writer, ss []*incident.Section) {
	w.Uint(uint64(len(ss)))
	for _, s := range ss {
		w.Str(s.Title)
		w.Str(s.Key)
		w.Str(s.Normal)
		w.Bool(s.Canonical)
		w.Int(int64(s.Level))
		w.Str(s.ID)
		writePos(w, s.Pos)
		w.Bool(s.Empty)
		w.Str(s.Text)
		writeOutline(w, s.Sections)
	}
}

// decodeOutline reads what encodeOutline wrote.
func decodeOutline(b []byte) ([]*incident.Section, error) {
	r := spool.NewReader(b)
	out := readOutline(r)
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("sections: %w", err)
	}
	return out, nil
}

func readOutline(r *spool.Reader) []*incident.Section {
	n := r.Len()
	if n == 0 {
		return nil
	}
	out := make([]*incident.Section, n)
	for i := range out {
		s := &incident.Section{Title: r.Str(), Key: r.Str(), Normal: r.Str(), Canonical: r.Bool(), Level: int(r.Int()), ID: r.Str()}
		s.Pos = readPos(r)
		s.Empty = r.Bool()
		s.Text = r.Str()
		s.Sections = readOutline(r)
		out[i] = s
	}
	return out
}

func writePos(w *spool.Writer, p markup.Pos) {
	w.Str(p.File)
	w.Int(int64(p.Line))
	w.Int(int64(p.Col))
}

func readPos(r *spool.Reader) markup.Pos {
	return markup.Pos{File: r.Str(), Line: int(r.Int()), Col: int(r.Int())}
}

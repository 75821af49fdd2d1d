package search

import (
	"fmt"
	"strings"
	"time"
)

// Document is what the site gives the index for one incident.
type Document struct {
	// ID is the incident id, for example "2023-04-05-db-outage". It is
	// also the URL path of the incident page below incidents/.
	ID string
	// Title is the incident title as shown on its page.
	Title string
	// Date is the day the incident started; zero when unknown.
	Date time.Time
	// DateText is the date as results show it when the author gave only
	// a year or a month ("2023", "2023-10"); empty shows Date's day. Its
	// string order must be time order: the instant list sorts by it.
	DateText string
	// Severity and Status are single keywords such as "SEV1" and
	// "resolved"; empty when unknown.
	Severity, Status string
	// Systems and Causes are the vocabulary terms the incident names in
	// its metadata: hits show them, and they rank first under a filter.
	Systems, Causes []string
	// MentionedSystems and MentionedCauses are the terms its text names
	// and its metadata does not. Filters and facets count them as the
	// site's pages of systems and causes list them, so that "search
	// within" a system finds what its page shows.
	MentionedSystems, MentionedCauses []string
	// Summary is short text shown under a result when no fragment of
	// the incident's text matches the query.
	Summary string
	// Sections are the incident's sections in page order.
	Sections []Section
}

// Section is one section of an incident page.
type Section struct {
	// Key is the canonical key of the section, such as "root-cause";
	// empty for sections that match no canonical key.
	Key string
	// Title is the heading text as shown on the page.
	Title string
	// Anchor is the id of the heading on the page, so a hit can link
	// to incidents/<id>/#<anchor>; empty when the section has none.
	Anchor string
	// Text is the plain text of the section body.
	Text string
}

// Year returns the year of the incident as the "year" filter sees it,
// or "" when the date is unknown.
func (d *Document) Year() string {
	if d.Date.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d", d.Date.Year())
}

// shownDate is the date as results show it.
func (d *Document) shownDate() string {
	if d.Date.IsZero() {
		return ""
	}
	if d.DateText != "" {
		return d.DateText
	}
	return d.Date.Format(dateLayout)
}

// allSystems and allCauses are the terms a filter finds the document
// by: those it declares, then those it mentions.
func (d *Document) allSystems() []string { return concat(d.Systems, d.MentionedSystems) }
func (d *Document) allCauses() []string  { return concat(d.Causes, d.MentionedCauses) }

func concat(a, b []string) []string {
	if len(b) == 0 {
		return a
	}
	return append(a[:len(a):len(a)], b...)
}

// check reports a document the index cannot hold.
func (d *Document) check() error {
	switch {
	case d.ID == "":
		return fmt.Errorf("document %q: empty id", d.Title)
	case strings.ContainsAny(d.ID, "\x00\n"):
		return fmt.Errorf("document %q: id holds a control character", d.ID)
	case strings.HasPrefix(d.ID, "."):
		return fmt.Errorf("document %q: ids starting with a dot are reserved", d.ID)
	}
	return nil
}

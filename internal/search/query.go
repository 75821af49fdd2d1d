package search

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// filterFields are the keyword fields a query can filter on, in the
// order facets are reported.
var filterFields = []string{fieldSystem, fieldCause, fieldSeverity, fieldStatus, fieldYear}

// filterAliases maps the names accepted in queries and Request.Filters
// to filter fields.
var filterAliases = map[string]string{
	"system": fieldSystem, "systems": fieldSystem,
	"cause": fieldCause, "causes": fieldCause,
	"severity": fieldSeverity, "sev": fieldSeverity,
	"status": fieldStatus,
	"year":   fieldYear,
}

// term is one word or phrase of a query.
type term struct {
	Text   string // as typed, quotes removed
	Phrase bool   // quoted
	Prefix bool   // the last word, still being typed
}

// parsedQuery is a query string taken apart.
type parsedQuery struct {
	Terms      []term              // every one must match
	Not        []term              // none may match
	Filters    map[string][]string // field -> values; one value per field must match
	NotFilters map[string][]string // field -> values; none may match
}

// parseQuery splits a query string into words, phrases, exclusions and
// filters. It never fails: text that is not a filter or a phrase is
// words, and an unterminated quote runs to the end of the input.
//
// The last word is a prefix (it is being typed) unless the input ends
// in white space.
//
// The input is cut to MaxQueryBytes and to MaxQueryWords words, phrases
// and filters; a word or phrase given twice counts once.
func parseQuery(s string) parsedQuery {
	var q parsedQuery
	s = cutQuery(s)
	open := -1 // index in q.Terms of a word the input ends with
	i := 0
	type key struct {
		text          string
		phrase, minus bool
	}
	seen := map[key]bool{}
	taken := 0 // words, phrases and filters
	for i < len(s) {
		if taken == MaxQueryWords {
			open = -1 // the input goes on: its last word is not being typed
			break
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += n
			continue
		}
		open = -1
		neg := false
		if s[i] == '-' {
			neg = true
			i++
			if r, _ := utf8.DecodeRuneInString(s[i:]); i == len(s) || unicode.IsSpace(r) {
				continue // a lone dash
			}
		}
		var t term
		field := ""
		if s[i] == '"' {
			t.Text, i = quoted(s, i)
			t.Phrase = true
		} else {
			var word string
			word, i = bare(s, i)
			if name, value, ok := strings.Cut(word, ":"); ok {
				if f, known := filterAliases[strings.ToLower(name)]; known {
					field = f
					if value == "" && i < len(s) && s[i] == '"' {
						value, i = quoted(s, i)
					}
					value = strings.ToLower(strings.TrimSpace(value))
					if value == "" {
						continue // "system:" while typing
					}
					addFilter(&q, neg, field, value)
					taken++
					continue
				}
			}
			t.Text = strings.TrimLeft(word, "-")
		}
		if strings.TrimSpace(t.Text) == "" {
			continue
		}
		k := key{strings.ToLower(t.Text), t.Phrase, neg}
		if seen[k] {
			open = -1
			continue
		}
		seen[k] = true
		taken++
		if neg {
			q.Not = append(q.Not, t)
		} else {
			q.Terms = append(q.Terms, t)
			if !t.Phrase {
				open = len(q.Terms) - 1
			}
		}
	}
	last, _ := utf8.DecodeLastRuneInString(s)
	if open >= 0 && !unicode.IsSpace(last) {
		q.Terms[open].Prefix = true
	}
	return q
}

// cutQuery cuts s to MaxQueryBytes, at a character boundary.
func cutQuery(s string) string {
	if len(s) <= MaxQueryBytes {
		return s
	}
	n := MaxQueryBytes
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func addFilter(q *parsedQuery, neg bool, field, value string) {
	m := &q.Filters
	if neg {
		m = &q.NotFilters
	}
	if *m == nil {
		*m = map[string][]string{}
	}
	if !slices.Contains((*m)[field], value) {
		(*m)[field] = append((*m)[field], value)
	}
}

// quoted reads a quoted string starting at s[i] == '"' and returns its
// contents and the index after the closing quote.
func quoted(s string, i int) (string, int) {
	end := strings.IndexByte(s[i+1:], '"')
	if end < 0 {
		return s[i+1:], len(s)
	}
	return s[i+1 : i+1+end], i + 1 + end + 1
}

// bare reads a word up to white space or a quote and returns it with
// the index after it.
func bare(s string, i int) (string, int) {
	start := i
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			break
		}
		if r == '"' {
			break // a phrase, or the value of field:"value"
		}
		i += n
	}
	return s[start:i], i
}

// String formats the query back into the query language, in a
// canonical order, marking a prefix with "*"; tests use it. Phrases and
// values cannot hold quotes, so quoting them needs no escapes.
func (q parsedQuery) String() string {
	var parts []string
	for _, t := range q.Terms {
		parts = append(parts, t.String())
	}
	for _, t := range q.Not {
		parts = append(parts, "-"+t.String())
	}
	for _, f := range filterFields {
		for _, v := range q.Filters[f] {
			parts = append(parts, f+`:"`+v+`"`)
		}
		for _, v := range q.NotFilters[f] {
			parts = append(parts, "-"+f+`:"`+v+`"`)
		}
	}
	return strings.Join(parts, " ")
}

func (t term) String() string {
	switch {
	case t.Phrase:
		return `"` + t.Text + `"`
	case t.Prefix:
		return t.Text + "*"
	}
	return t.Text
}

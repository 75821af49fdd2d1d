package lint

// Rule describes one check, for documentation and for SARIF's rule table.
type Rule struct {
	ID       string
	Severity Severity // the default; sections take theirs from the config
	Summary  string
}

// Rules lists every rule, including those reported for files that cannot
// be read at all (which the site loader finds, not Check).
func Rules() []Rule {
	return []Rule{
		{"unreadable", Error, "a file or folder that cannot be read, or a symbolic link that leads nowhere or outside the content folder"},
		{"encoding", Error, "a file that is not UTF-8"},
		{"front-matter", Error, "front matter that does not parse"},
		{"metadata-invalid", Error, "a known metadata key with a value of the wrong type"},
		{"duplicate-id", Error, "two files that would be published at the same address"},
		{"section-missing", Error, "a required (error) or recommended (warning) section is absent"},
		{"section-empty", Error, "a required (error) or recommended (warning) section holds only a prompt, a comment or a placeholder"},
		{"section-duplicate", Warning, "the same heading twice at the same level"},
		{"date-missing", Error, "no date anywhere: not in the metadata, the text, the title, the path or the timeline; or a log entry without one"},
		{"date-conflict", Warning, "two dates of the incident (metadata, text, title, path, timeline) differ by more than a day"},
		{"date-ambiguous", Warning, "a numeric date with two readings (03-04-2024) that nothing else in the file settles"},
		{"title-missing", Warning, "no title: the file name stands in"},
		{"unknown-severity", Warning, "a severity outside the site's list"},
		{"unknown-status", Warning, "a status outside the site's list"},
		{"unknown-system", Warning, "a system outside the site's vocabulary"},
		{"unknown-cause", Warning, "a cause outside the site's vocabulary"},
		{"broken-link", Error, "a link to another postmortem that does not exist"},
		{"markup", Warning, "markup the reader recovered from: an unknown directive, nesting past the limit, an image outside the postmortem's folder"},
	}
}

// KnownRule reports whether id names a rule.
func KnownRule(id string) bool {
	for _, r := range Rules() {
		if r.ID == id {
			return true
		}
	}
	return false
}

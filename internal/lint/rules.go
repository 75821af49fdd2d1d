package lint

// Rule ids, as every output shows them and as site.toml names them to
// switch a rule off. Render and the command line use these too, so a
// rule is spelled once.
const (
	Unreadable       = "unreadable"
	Encoding         = "encoding"
	FrontMatter      = "front-matter"
	MetadataInvalid  = "metadata-invalid"
	DuplicateID      = "duplicate-id"
	SectionMissing   = "section-missing"
	SectionEmpty     = "section-empty"
	SectionDuplicate = "section-duplicate"
	DateMissing      = "date-missing"
	DateConflict     = "date-conflict"
	DateAmbiguous    = "date-ambiguous"
	TitleMissing     = "title-missing"
	UnknownSeverity  = "unknown-severity"
	UnknownStatus    = "unknown-status"
	UnknownSystem    = "unknown-system"
	UnknownCause     = "unknown-cause"
	BrokenLink       = "broken-link"
	Markup           = "markup"
)

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
		{Unreadable, Error, "a file or folder that cannot be read, or a symbolic link that leads nowhere or outside the content folder"},
		{Encoding, Error, "a file that is not UTF-8"},
		{FrontMatter, Error, "front matter that does not parse"},
		{MetadataInvalid, Error, "a known metadata key with a value of the wrong type"},
		{DuplicateID, Error, "two files that would be published at the same address"},
		{SectionMissing, Error, "a required (error) or recommended (warning) section is absent"},
		{SectionEmpty, Error, "a required (error) or recommended (warning) section holds only a prompt, a comment or a placeholder"},
		{SectionDuplicate, Warning, "the same heading twice at the same level"},
		{DateMissing, Error, "no date anywhere: not in the metadata, the text, the title, the path or the timeline; or a log entry without one"},
		{DateConflict, Warning, "two dates of the incident (metadata, text, title, path, timeline) differ by more than a day"},
		{DateAmbiguous, Warning, "a numeric date with two readings (03-04-2024) that nothing else in the file settles"},
		{TitleMissing, Warning, "no title: the file name stands in"},
		{UnknownSeverity, Warning, "a severity outside the site's list"},
		{UnknownStatus, Warning, "a status outside the site's list"},
		{UnknownSystem, Warning, "a system outside the site's vocabulary"},
		{UnknownCause, Warning, "a cause outside the site's vocabulary"},
		{BrokenLink, Error, "a link to another postmortem that does not exist"},
		{Markup, Warning, "markup the reader recovered from: an unknown directive, nesting past the limit, an image outside the postmortem's folder"},
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

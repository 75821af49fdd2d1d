// Package incident turns a [markup.Doc] into an [Incident]: the facts about
// one postmortem that the rest of the pipeline relies on. It knows nothing of
// file formats (the readers do) and nothing of pages (render does).
//
// # Metadata
//
// Keys are read from Markdown front matter or an RST field list, matched
// without regard to case. Unknown keys are kept in Incident.Params.
//
//	title      string            the page title
//	date       date              when the incident started: 2024-03-11, 2024-03-11 14:05,
//	                             2024-03-11T14:05:00Z; without a zone, the site's zone applies
//	severity   string            for example SEV1
//	status     string            for example resolved, monitoring, draft
//	systems    list or string    affected systems ("postgres, pgbouncer" or a list)
//	causes     list or string    contributing causes
//	authors    list or string    also: author
//	summary    string            one or two sentences; also: description
//
// # Fallbacks
//
// Without a title in the metadata, the title is the document's own title (a
// lone top heading), else its first heading unless that heading names a
// section (like "Overview"), else the file name. Without a date, a
// YYYY-MM-DD prefix of the file name (or of the folder of an index file)
// gives one. Without a summary, the first paragraph does.
//
// # Sections
//
// Each heading's normalised text is mapped to a canonical key through the
// configured aliases: "Follow-up tasks" and "Action items" both become
// action-items. A section is empty when its body holds nothing but
// comments, the template's prompt (a paragraph that is all italic, or a
// block quote) or a placeholder such as TODO.
package incident

// Package incident turns a [markup.Doc] into what one source file holds: an
// [Incident] (a postmortem), several (a log), or a [Page] (an index, a
// template). It reads the facts the rest of the pipeline relies on from
// wherever the author wrote them. It knows nothing of file formats (the
// readers do) and nothing of pages' HTML (render does).
//
// # Metadata
//
// Keys are read from Markdown front matter or an RST field list, matched
// without regard to case. Unknown keys are kept in Incident.Params; keys of
// blog and static-site tools (layout, permalink, linkTitle, resources,
// aliases, weight, …) are ignored without a word.
//
//	title      string            the page title
//	date       date              when the incident started: 2024-03-11, 2024-03-11 14:05,
//	                             2024-03-11T14:05:00Z, "March 2024", 2024; without a zone,
//	                             the site's zone applies
//	severity   string            for example SEV1; an alias from site.toml reads as its name
//	status     string            for example resolved, monitoring, draft
//	systems    list or string    affected systems ("postgres, pgbouncer" or a list)
//	causes     list or string    contributing causes
//	authors    list or string    also: author
//	summary    string            one or two sentences; also: description
//	tags       list or string    also categories: values naming a known system or cause count as one
//	draft      bool              true leaves the file out of builds without --drafts (Jekyll: published: false)
//	slug       string            the last part of the incident's address
//	kind       string            log (many incidents, one per dated entry) or page (not an incident)
//
// # Metadata in the body
//
// Without front matter, the facts a team writes at the top of a page are
// read as metadata, each with its line: bold or plain "Label: value" lines
// before the first heading or in a Metadata, Details or Overview section
// ("**Severity:** SEV2", "Date: 2023-01-07"), a two-column table, an RST
// field list, a heading that is itself a field ("## Owner: @ana") and a
// short section named after a key ("## Status" holding "Resolved").
// Declared metadata wins over the body.
//
// # Dates
//
// A date may be partial: a year, a year and month, a day, or a day and a
// time with its zone. Every date the author wrote is a [DateCandidate];
// the most trusted one wins: metadata, then a date line at the top of the
// text ("Date: …", a paragraph that is only a date), the title ("2017-09-27,
// Hub 403", which becomes "Hub 403"), the path (2023-04-05-x.md,
// 05-04-2023-x.md, 2023/04/, apr-2023-x.md, PM2023-001 x), a date in the
// opening prose, and last the timeline's first timestamp. A partial date
// takes its day from a less trusted date inside its period. Numeric dates
// with two readings are settled by the file's other dates, else only what
// both readings share is kept and lint reports it.
//
// # Fallbacks
//
// Without a title in the metadata, the title is the document's own title (a
// lone top heading), else its first heading unless that heading names a
// section (like "Overview"), else the file name without its date or
// number. Without a summary, the first paragraph does.
//
// # Sections
//
// Each heading's normalised text is mapped to a canonical key through the
// configured aliases: "Follow-up tasks" and "Action items" both become
// action-items. A section is empty when its body holds nothing but
// comments, the template's prompt (a paragraph that is all italic, or a
// block quote) or a placeholder such as TODO.
//
// # Logs and pages
//
// A log (kind: log, or a glob in site.toml) holds many incidents: every
// top-level section whose heading or first line starts with a date, every
// list item that starts with a dated heading, and every dated subsection is
// an entry with its own ID (<log id>/<slug>). Sections before the first
// entry stay on the log's own page. A file marked kind: page, a template,
// a Hugo _index file and an index that only lists links (a Sphinx toctree,
// a README of links) are pages, not incidents.
package incident

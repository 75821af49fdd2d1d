// Package render turns incidents into the bytes of a site: HTML pages from
// html/template layouts, and the static assets beside them. It never
// touches the disk: layouts and assets arrive as file systems, and each
// file goes to a [Writer] (in kb build, a stage of package publish) as
// soon as it is made; to a [Streamer], the pages that list incidents and
// the exports go as they are written. A site of ten thousand incidents is
// hundreds of megabytes, and nothing needs all of it at once:
// [ServiceWorker], the one file that depends on every other, takes their
// SHA-256 sums instead of their bytes. What only an incident's own page
// shows may wait outside memory until that page is made (see Input.Own).
//
// # Layouts
//
// A page is rendered from base.html, every file in partials/, and the
// page's own template, which defines "main" (and may define "title"):
//
//	home.html      the list of incidents, newest first      → index.html
//	incident.html  one postmortem                           → incidents/<id>/index.html
//	page.html      a page that is not an incident, or a log → pages/<id>/index.html, incidents/<log>/index.html
//	review.html    postmortems with open lint findings      → review/index.html
//	search.html    the search page (its state in the URL)   → search/index.html
//	terms.html     every system, or every cause             → systems/index.html, causes/index.html
//	term.html      one system or cause and its incidents    → systems/<slug>/index.html, causes/<slug>/index.html
//	timeline.html  incidents by year and month, with charts → timeline/index.html, timeline/<system|cause|severity>/<slug>/index.html
//	actions.html   open follow-up items, oldest first       → actions/index.html
//	404.html       the page GitHub Pages serves for a miss  → 404.html
//
// Beside the pages, [Exports] writes incidents.json (and its schema),
// incidents.csv, feed.xml and timeline.ics, in the same order.
//
// A file of the same name in the site's layouts/ folder replaces the
// default; so does a file in the site's assets/ folder.
//
// Among the default partials, head.html, header.html and footer.html are
// the same on every page of a kind and depth; incident-row.html and
// timeline-row.html are one incident as a row of the incident list and
// of the timeline. base.html, incident-list.html and timeline.html call
// them through .Shared and .Row (below), which make each once and reuse
// it: a site lists each incident on ten pages or so, and most of the
// cost of those pages was in making the same rows again.
//
// # Template data
//
// Every template receives a [*Page]:
//
//	.Site.Title .Site.Description .Site.Language .Site.BaseURL
//	.Site.SearchPrefetch  "intent" or "idle": when the page loads search
//	.Kind        "home", "incident", "review", "search" or "404"
//	.Review      how many incidents have lint findings (for navigation)
//	.Title       the page title
//	.Path        the page's output path ("incidents/x/index.html")
//	.Link "p"    the URL of site path p as seen from this page; use it for
//	             every internal link and asset so the site works under a
//	             base path (GitHub Pages project sites) and at the root
//	.Incidents   on the home and review pages: []*IncidentView, newest first
//	.Incident    on incident pages: *IncidentView
//
// and two methods that make a partial once for many pages:
//
//	.Shared "p"  partials/p with the page as dot, as {{template "p" .}};
//	             made once per kind and depth of page when p reads
//	             nothing of the page but .Site, .Kind, .Review and .Link
//	             (else made for each page). It must end in HTML text.
//	.Row "p" v   partials/p for the incident view v, made once per depth
//	             of page: {{range .Incidents}}{{$.Row "incident-row.html" .}}{{end}}.
//	             The partial receives a [RowView]: the incident's view
//	             (every field of an IncidentView), .Site, and .Link as
//	             the listing page sees it, and nothing else of that page.
//
// An [IncidentView] has every field of [incident.Incident] (.ID, .Title,
// .Date, .Severity, .Status, .Systems, .Causes, .Authors, .Description,
// .Summary,
// .Sections with .Title .ID .Level .Sections) plus .URL (site path of its
// page), .Body (its rendered HTML), .Findings (its lint findings: .Pos,
// .Severity, .Rule, .Message, .Hint), .Missing and .Empty (names of the
// sections lint reports missing or empty) and .Errors and .Warnings
// (counts of findings), .SystemTerms and .CauseTerms (each .Name, .URL,
// .Declared), .Related (each .Title, .URL, .Date, .Severity, .Shared) and
// .LinkedFrom. In a build, .Body, .Sections and .Details.Events are
// there on the incident's own page only: pages that list incidents are
// made after, once they are dropped.
//
// On timeline.html, .Timeline has .Filter and .Kind (the set shown, ""
// for all), .Years (each .Year, .Anchor, .Count, .Months with .Label,
// .Anchor, .Incidents), .Undated, .Charts (each .Title, .SVG, .Head,
// .Rows), .Metrics, .Counts and .SeverityHead, and .Systems, .Causes and
// .Severities (links to the filtered pages). On actions.html, .Actions
// lists the open items (.Text, .Owner, .Ticket, .Incident) and
// .OpenBySystem counts them. An incident view also has .Details (.Events,
// .Actions, .Durations, .Recurs), .EventRows, .ActionsIn "open", .Recurs;
// the home page has .Glance, a chart of the last twelve months. More
// functions: dur (a duration or "unknown"), offset (T+0:47), duration,
// until, isURL.
//
// On terms.html, .Terms lists the systems or causes (.Name, .URL, .Kind,
// .Declared, .Incidents); on term.html, .Term is the one shown and
// .Incidents its incidents.
//
// Dates (.Date, .End) may be partial: a year, a month, a day or a time
// with its zone; .Date.IsZero says there is none, .Date.Precision how
// precise it is, .DateFrom where it came from.
//
// Functions: date (as precise as known, to the day: "2023", "Oct 2023",
// "2023-10-05"; "" for none), moment (with the time and zone when known),
// datetime (for <time datetime>: "2023", "2023-10", "2023-10-05" or RFC
// 3339), join (a list with ", "), lower, slug.
//
// Pages that are not incidents (page.html → pages/<id>/index.html, and a
// log's own page → incidents/<id>/index.html) receive .PageView: .Title,
// .Kind ("page" or "log"), .Why, .Path, .URL, .Body and, for a log,
// .Entries (incident views). The home page also receives .Pages. An entry
// of a log has .LogURL and .Log.Title.
package render

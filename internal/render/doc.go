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
//	home.html      the newest incidents by year, counted    → index.html
//	year.html      the incidents of a year, by month        → years/<year>/index.html, years/<year>/page/<n>/index.html
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
// incidents.csv, feed.xml and timeline.ics, in the same order. Once the
// pages are written, [Sitemap] lists them in sitemap.xml, when the base
// URL is absolute.
//
// A file of the same name in the site's layouts/ folder replaces the
// default; so does a file in the site's assets/ folder.
//
// On incident.html, meta-line.html is the incident's date, severity,
// status and systems in one line, which a narrow screen shows above the
// text in place of meta.html's panel; toc.html and the timeline at a
// glance are <details> that kb.js opens on a wide screen.
//
// Among the default partials, head.html, header.html and footer.html are
// the same on every page of a kind and depth; head-meta.html, before
// head.html, is what differs: the page's description, OpenGraph
// properties and canonical address, from .Meta; incident-row.html and
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
//	.Site.LintBanner      "drafts", "always" or "never": which incident
//	             pages open with the note that the postmortem is not
//	             finished (see .Banner below); the default header counts
//	             findings in its menu only for "always"
//	.Kind        "home", "year", "incident", "review", "search" or "404"
//	.Review      how many incidents have lint findings (for navigation)
//	.Title       the page title
//	.Path        the page's output path ("incidents/x/index.html")
//	.Link "p"    the URL of site path p as seen from this page; use it for
//	             every internal link and asset so the site works under a
//	             base path (GitHub Pages project sites) and at the root
//	.Incidents   []*IncidentView, newest first: on the home page the
//	             newest Input.PerPage (200 unless set), on a year page
//	             the rows of that page, on the review page every one
//	             with findings
//	.Index       on the home and year pages: *IndexView (below)
//	.Incident    on incident pages: *IncidentView
//	.Meta        what the page says of itself in <head> ([HeadMeta]):
//	             .Title, .Type ("article" for an incident, else
//	             "website"), .Description (the incident's summary, else
//	             the site's, cut to about 200 characters), .SiteName,
//	             .URL (absolute, or "" unless the base URL is)
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
// page), .Body (its rendered HTML; the tables of its timeline sections
// have class "timeline"), .Findings (its lint findings: .Pos,
// .Severity, .Rule, .Message, .Hint), .Missing and .Empty (names of the
// sections lint reports missing or empty), .Banner (whether the page
// opens with the note that the postmortem is not finished: by default
// only when its status says draft; else meta.html names what is missing
// quietly), .EditURL and .SourceURL (its file in the site's repository,
// to edit and to view; empty without repo_url) and .Errors and .Warnings
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
// On home.html and year.html, .Index is the page's index of incidents:
// .Total (incidents in the site, or in the year) and .Shown (rows on
// this page); .Year ("2023", "undated"; "" on the home page); .Groups,
// the rows under headings (by year on the home page, by month on a year
// page), each .Label, .ID (its anchor: "y2023", "y2023-03"), .Count (of
// the year or month, on every page), .URL (the year's page, on the home
// page) and .Incidents; .Severities, .Years and .Systems (the dozen most
// common; .AllSystems counts them all), each a Facet with .Kind
// ("severity", "year", "system"), .Name, .Value (as ?severity=sev1 and
// the rows' data attributes write it), .URL (a page that lists only those
// incidents: timeline/severity/<sev>/, years/<year>/, systems/<slug>/,
// opened at #y<year> from a year page), .Count and .Current (the year of
// the year page); and .Pager (nil for a year of one page): .Page, .Pages,
// .Prev, .Next and .Links (each .Number, .URL, .Current). A year of more
// than PerPage incidents has pages years/<year>/page/2/ and on; incidents
// without a date, or without a year, are under years/undated/.
//
// incident-list.html shows .Groups, a page method: .Index.Groups, or else
// .Incidents by year (on a system's or a cause's page). A row has
// .SystemsShown (the systems the metadata declares, or those the text
// mentions when it declares none, each .Name, .URL, .Declared), .Year
// ("2023" or "undated"), and every TermRef a .Slug. kb.js filters the
// rows of the home and year pages in place from the data attributes of
// the rows (data-sev, data-year, data-systems) and of the facet links
// (data-filter, data-value, data-count) inside #kb_filters.
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

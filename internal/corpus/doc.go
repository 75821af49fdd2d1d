package corpus

// The document model of the generator: what a postmortem says, before it
// is written as Markdown or reStructuredText. It is deliberately small: the
// block kinds real postmortems use, and inline markup as markers (text.go).

type blockKind int

const (
	bPara        blockKind = iota // a paragraph
	bPrompt                       // the template's question, in italics or as a quote
	bPlaceholder                  // TODO, TBD
	bList                         // a bullet list
	bOrdered                      // a numbered list
	bChecklist                    // action items with done / not done
	bCode                         // a code block
	bTable                        // a table with a header row
	bTimeline                     // timestamped events in one of several layouts
	bImage                        // an image beside the file (page bundles only)
	bDetails                      // a collapsed block of log output (Markdown only)
)

type block struct {
	kind    blockKind
	text    string // paragraph, prompt, placeholder, code, image alt text
	lang    string // code; image file name
	items   []string
	checked []bool
	header  []string
	rows    [][]string
	events  []event
	// filler blocks were added to reach the file's size and may be taken
	// away again.
	filler bool
	// variant picks among the ways of writing the block, drawn once when
	// the block is made.
	variant int
}

// event is one line of a timeline.
type event struct {
	day  string // a date, for incidents that span days; "" otherwise
	time string // HH:MM
	who  string // a handle, in the chat-log style
	text string
}

type section struct {
	key    string // canonical key, or "" for a section no alias names
	title  string
	blocks []block
	subs   []section
	// blank sections hold only a prompt or a placeholder: filler is not
	// added to them.
	blank bool
}

// doc is one postmortem.
type doc struct {
	inc   *planned
	w     *writer
	intro []block // before the first section
	secs  []section
	style style
	// seed drives the choices of the metadata block, which renderers make
	// afresh (and identically) every time they run.
	seed  uint64
	cache wrapCache
}

func (d *doc) wraps() wrapCache {
	if d.cache == nil {
		d.cache = wrapCache{}
	}
	return d.cache
}

// timeline layouts
const (
	tlTable    = iota // Markdown table / RST simple table
	tlBold            // - **HH:MM** text
	tlPlain           // - HH:MM text, or HH:MM UTC: text
	tlHeadings        // ### HH:MM headings / RST subsections
	tlHandles         // - HH:MM @name text (chat log)
	tlDays            // events grouped under dates
	tlDefs            // RST definition list: the time, then the event indented
)

// style is how one author writes: chosen once per file.
type style struct {
	house      int
	wrap       int  // column to wrap prose at; 0 for one line per paragraph
	prompts    bool // the file keeps its template's prompts
	promptKind int  // 0 *italic*, 1 _italic_, 2 > quote, 3 <!-- comment -->
	deco       int  // heading decoration: 0 plain, 1 numbered, 2 emoji, 3 :shortcode:, 4 trailing colon
	bullet     string
	timeline   int
	timeUTC    bool // "Time (UTC)" headers, "14:05 UTC"
	actions    int  // 0 checklist, 1 table, 2 plain bullets, 3 numbered
	mdLevel    int  // Markdown heading level of top-level sections
	h1         bool // Markdown: a "# Title" line in the body
	dateTitle  bool // the title starts with the date
	overline   bool // RST: title with an overline too
	fieldsTop  bool // RST: metadata field list above the title (Sphinx) rather than below it
	codeDir    string
	fence      string
}

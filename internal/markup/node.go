package markup

import "strconv"

// Node is one block or inline element of a document. One struct serves every
// kind, like html.Node: the model is shared by two readers and six stages,
// and a single concrete type keeps walking, dumping and comparing trees
// simple. Fields that a kind does not use stay zero; the Kind constants say
// which fields each kind uses.
type Node struct {
	Kind Kind
	// The one-byte fields sit together after Kind, so that they share one
	// word: a large document has millions of nodes, and each word of
	// padding costs megabytes.

	// Ordered marks an ordered List.
	Ordered bool
	// Tight marks a List whose items are rendered without paragraph
	// spacing (CommonMark's tight lists, RST's simple lists).
	Tight bool
	// Task marks a ListItem that is a checkbox.
	Task Task
	// Header marks a TableRow in the table head.
	Header bool
	// Align is a TableCell's alignment.
	Align Align

	// Line and Col locate the node in its file (1-based; 0 when unknown).
	Line, Col int
	Children  []*Node

	// Literal is the verbatim content of Text, Code, CodeBlock, HTMLBlock,
	// RawHTML and Comment nodes.
	Literal string
	// Level is a Heading's rank: 1 for the highest.
	Level int
	// ID is the anchor of a Heading, Footnote or Target, and the reference
	// of a FootnoteRef.
	ID string
	// URL is the destination of a Link or the source of an Image.
	URL string
	// Title is a Link's or Image's title, and an Admonition's title.
	Title string
	// Lang is the language of a CodeBlock, used for highlighting.
	Lang string
	// Class is an Admonition's kind (note, warning, …), a List's enumeration
	// style for RST (arabic, loweralpha, …), and a Span's class.
	Class string
	// Start is the first number of an ordered List.
	Start int
	// ColSpan and RowSpan are a TableCell's spans (0 means 1).
	ColSpan, RowSpan int
}

// Kind says what a Node is.
type Kind uint8

// Block kinds.
const (
	KindInvalid    Kind = iota
	Paragraph           // Children: inlines
	Heading             // Level, ID; Children: inlines
	ThematicBreak       // a transition between parts
	CodeBlock           // Literal, Lang
	BlockQuote          // Children: blocks
	List                // Ordered, Start, Tight, Class; Children: ListItem
	ListItem            // Task; Children: blocks
	DefinitionList      // Children: alternating DefinitionTerm and Definition
	DefinitionTerm      // Children: inlines
	Definition          // Children: blocks
	FieldList           // Children: Field nodes (RST field lists in the body)
	FieldItem           // Title: the field name; Children: blocks
	Table               // Children: TableRow
	TableRow            // Header; Children: TableCell
	TableCell           // Align, ColSpan, RowSpan; Children: blocks or inlines
	HTMLBlock           // Literal: raw HTML, sanitised when rendered
	Comment             // Literal: never rendered
	Admonition          // Class, Title; Children: blocks
	LineBlock           // Children: Line
	Line                // Children: inlines
	Figure              // Children: Image, then optional Caption blocks
	Caption             // Children: inlines
	FootnoteList        // Children: Footnote
	Footnote            // ID, Title (its label); Children: blocks
	Contents            // a table of contents of the document's sections
	Target              // ID: an anchor others link to
)

// Inline kinds.
const (
	Text          Kind = iota + 64 // Literal
	Emphasis                       // Children
	Strong                         // Children
	Code                           // Literal
	Link                           // URL, Title; Children
	Image                          // URL, Title; Literal: alternative text
	RawHTML                        // Literal: raw HTML, sanitised when rendered
	LineBreak                      // a hard line break
	Strikethrough                  // Children
	FootnoteRef                    // ID; Literal: the label shown
	Span                           // Class; Children (subscript, superscript, roles)
)

var kindNames = map[Kind]string{
	Paragraph: "Paragraph", Heading: "Heading", ThematicBreak: "ThematicBreak",
	CodeBlock: "CodeBlock", BlockQuote: "BlockQuote", List: "List", ListItem: "ListItem",
	DefinitionList: "DefinitionList", DefinitionTerm: "DefinitionTerm", Definition: "Definition",
	FieldList: "FieldList", FieldItem: "FieldItem", Table: "Table", TableRow: "TableRow",
	TableCell: "TableCell", HTMLBlock: "HTMLBlock", Comment: "Comment", Admonition: "Admonition",
	LineBlock: "LineBlock", Line: "Line", Figure: "Figure", Caption: "Caption",
	FootnoteList: "FootnoteList", Footnote: "Footnote", Contents: "Contents", Target: "Target",
	Text: "Text", Emphasis: "Emphasis", Strong: "Strong", Code: "Code", Link: "Link",
	Image: "Image", RawHTML: "RawHTML", LineBreak: "LineBreak", Strikethrough: "Strikethrough",
	FootnoteRef: "FootnoteRef", Span: "Span",
}

func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// IsInline reports whether k is an inline kind.
func (k Kind) IsInline() bool { return k >= Text }

// Task is the state of a checkbox list item.
type Task uint8

const (
	NoTask Task = iota
	TaskOpen
	TaskDone
)

// Align is a table cell's alignment.
type Align uint8

const (
	AlignNone Align = iota
	AlignLeft
	AlignCenter
	AlignRight
)

// WalkStatus tells [Walk] how to go on after a callback.
type WalkStatus uint8

const (
	WalkContinue     WalkStatus = iota
	WalkSkipChildren            // do not visit this node's children
	WalkStop                    // stop walking
)

// Walk visits nodes depth-first, calling fn on entering (entering true) and
// on leaving each node. Leaving is not reported for a node whose children
// were skipped. Walk keeps its own stack rather than recursing, so no input,
// however deeply nested, can exhaust the goroutine's stack.
func Walk(nodes []*Node, fn func(n *Node, entering bool) WalkStatus) {
	type frame struct {
		n    *Node
		next int // index of the next child to visit
	}
	var stack []frame
	for _, root := range nodes {
		if root == nil {
			continue
		}
		switch fn(root, true) {
		case WalkStop:
			return
		case WalkSkipChildren:
			continue
		}
		stack = append(stack[:0], frame{n: root})
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.next >= len(top.n.Children) {
				if fn(top.n, false) == WalkStop {
					return
				}
				stack = stack[:len(stack)-1]
				continue
			}
			c := top.n.Children[top.next]
			top.next++
			if c == nil {
				continue
			}
			switch fn(c, true) {
			case WalkStop:
				return
			case WalkSkipChildren:
				continue
			}
			stack = append(stack, frame{n: c})
		}
	}
}

// NodeAllocator hands out nodes from arrays allocated together, for
// readers: a large document has millions of nodes, and allocating each on
// its own costs more time than filling it. The arrays grow from small, so
// a short document does not hold many unused nodes. The zero value is
// ready to use; it is not safe for concurrent use.
type NodeAllocator struct {
	free []Node
	size int
}

// maxNodeBlock bounds the nodes allocated at once.
const maxNodeBlock = 1024

// New returns a new node of kind k.
func (a *NodeAllocator) New(k Kind) *Node {
	if len(a.free) == 0 {
		a.size = min(max(2*a.size, 16), maxNodeBlock)
		a.free = make([]Node, a.size)
	}
	n := &a.free[0]
	a.free = a.free[1:]
	n.Kind = k
	return n
}

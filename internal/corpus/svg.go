package corpus

import (
	"strconv"
	"strings"
)

// chartSVG draws the small line chart a page bundle keeps beside its text:
// a metric that jumps during the incident and comes back.
func chartSVG(r *rng, title string) []byte {
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" width="480" height="160" viewBox="0 0 480 160">` + "\n")
	b.WriteString("<title>" + xmlEscape(title) + "</title>\n")
	b.WriteString(`<rect width="480" height="160" fill="#fff" stroke="#ccc"/>` + "\n")
	b.WriteString(`<polyline fill="none" stroke="#c0392b" stroke-width="2" points="`)
	start, end := r.between(8, 18), r.between(26, 40)
	for i := 0; i < 48; i++ {
		y := 130 - r.between(0, 12)
		if i >= start && i <= end {
			y = 30 + r.between(0, 25)
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Itoa(i*10) + "," + strconv.Itoa(y))
	}
	b.WriteString(`"/>` + "\n</svg>\n")
	return []byte(b.String())
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

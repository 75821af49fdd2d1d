package site

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// checkImage reports why b, read from the image file p, must not be
// published beside a page. Only image formats are published, and only when
// the bytes are what the name says: an ".png" that is HTML would be served
// as HTML by most hosts and run as part of the site. SVG, which can carry
// script, is published only when it passes checkSVG.
func checkImage(p string, b []byte) error {
	for _, seg := range strings.Split(p, "/") {
		if strings.HasPrefix(seg, ".") {
			return errors.New("hidden files are not published")
		}
	}
	ok := false
	switch strings.ToLower(path.Ext(p)) {
	case ".png":
		ok = bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n"))
	case ".jpg", ".jpeg":
		ok = bytes.HasPrefix(b, []byte{0xff, 0xd8, 0xff})
	case ".gif":
		ok = bytes.HasPrefix(b, []byte("GIF87a")) || bytes.HasPrefix(b, []byte("GIF89a"))
	case ".webp":
		ok = len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP"
	case ".avif":
		ok = len(b) >= 12 && string(b[4:8]) == "ftyp" && (string(b[8:12]) == "avif" || string(b[8:12]) == "avis")
	case ".svg":
		return checkSVG(b)
	default:
		return errors.New("only PNG, JPEG, GIF, WebP, AVIF and SVG images are published")
	}
	if !ok {
		return fmt.Errorf("the file is not a %s image", strings.ToUpper(strings.TrimPrefix(path.Ext(p), ".")))
	}
	return nil
}

// svgElements are the SVG elements a drawing needs; anything else
// (script, foreignObject, animation that can rewrite a link, embedded
// documents) makes the file unpublishable. Elements of other namespaces,
// the editors' metadata, are inert and allowed.
func svgElements() map[string]bool {
	m := map[string]bool{}
	for _, e := range []string{"svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
		"text", "tspan", "textPath", "title", "desc", "metadata", "defs", "linearGradient", "radialGradient",
		"stop", "clipPath", "mask", "pattern", "marker", "symbol", "use", "style", "filter",
		"feGaussianBlur", "feOffset", "feBlend", "feColorMatrix", "feFlood", "feComposite", "feMerge",
		"feMergeNode", "feDropShadow", "switch"} {
		m[e] = true
	}
	return m
}

const svgNS = "http://www.w3.org/2000/svg"

// checkSVG accepts an SVG drawing that cannot run script or reach out when
// opened on its own: allow-listed elements, no event attributes, links
// only within the file, no javascript: anywhere, and styles without
// imports or external url()s.
func checkSVG(b []byte) error {
	allowed := svgElements()
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	sawRoot := false
	inStyle := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("the SVG does not parse: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !sawRoot {
				if t.Name.Local != "svg" {
					return errors.New("the file is not an SVG drawing")
				}
				sawRoot = true
			}
			if t.Name.Space == svgNS || t.Name.Space == "" {
				if !allowed[t.Name.Local] {
					return fmt.Errorf("the SVG holds <%s>, which kb does not publish", t.Name.Local)
				}
			} else if strings.Contains(t.Name.Space, "xhtml") {
				return errors.New("the SVG holds HTML, which kb does not publish")
			}
			inStyle = t.Name.Local == "style"
			for _, a := range t.Attr {
				name := strings.ToLower(a.Name.Local)
				val := strings.ToLower(strings.Join(strings.Fields(a.Value), ""))
				switch {
				case strings.HasPrefix(name, "on"):
					return fmt.Errorf("the SVG has an event handler (%s)", a.Name.Local)
				case name == "href" && !strings.HasPrefix(a.Value, "#"):
					return errors.New("the SVG links outside itself")
				case strings.Contains(val, "javascript:"), strings.Contains(val, "vbscript:"):
					return errors.New("the SVG holds a javascript: URL")
				case name == "style" || name == "fill" || name == "stroke" || name == "filter" || name == "mask" || name == "clip-path":
					if err := checkCSS(val); err != nil {
						return err
					}
				}
			}
		case xml.EndElement:
			inStyle = false
		case xml.CharData:
			if inStyle {
				if err := checkCSS(strings.ToLower(string(t))); err != nil {
					return err
				}
			}
		}
	}
	if !sawRoot {
		return errors.New("the file is not an SVG drawing")
	}
	return nil
}

// checkCSS refuses styles that fetch something: @import, or url() with
// anything but a reference inside the file.
func checkCSS(s string) error {
	s = strings.Join(strings.Fields(s), "")
	if strings.Contains(s, "@import") || strings.Contains(s, "expression(") {
		return errors.New("the SVG's style imports or computes")
	}
	for rest := s; ; {
		i := strings.Index(rest, "url(")
		if i < 0 {
			return nil
		}
		rest = strings.TrimLeft(rest[i+4:], `"'`)
		if !strings.HasPrefix(rest, "#") {
			return errors.New("the SVG's style fetches a url()")
		}
	}
}

package site

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// The TOML decoder reports a value of the wrong type as a plain string
// naming the key (and, usually, its line): these take it apart so the
// message can point at the value and say what to write instead.
var (
	tomlKeyErrRE   = regexp.MustCompile(`^toml: (?:line (\d+) )?\(last key (".*")\): (.*)$`)
	tomlTypeErrRE  = regexp.MustCompile(`^incompatible types: TOML value has type (\S+); destination has type (.+)$`)
	tomlTableErrRE = regexp.MustCompile(`^type mismatch for .*: expected table but found (\S+)$`)
)

// decodeError turns an error from decoding site.toml into a ConfigError
// with the line and column of the value and a hint.
func decodeError(name string, src []byte, err error) *ConfigError {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return &ConfigError{File: name, Line: pe.Position.Line, Col: byteCol(src, pe.Position.Start), Err: errors.New(pe.Message),
			Hint: "fix the TOML syntax there; the README has a site.toml reference"}
	}
	m := tomlKeyErrRE.FindStringSubmatch(err.Error())
	if m == nil {
		return &ConfigError{File: name, Err: err, Hint: "check site.toml against the reference in the README"}
	}
	keyName, uerr := strconv.Unquote(m[2])
	if uerr != nil {
		keyName = strings.Trim(m[2], `"`)
	}
	key := toml.Key(strings.Split(keyName, "."))
	line, _ := strconv.Atoi(m[1])
	if line == 0 {
		line = keyLine(src, key)
	}
	ce := &ConfigError{File: name, Line: line, Col: valueCol(src, line), Err: errors.New(m[3]), Hint: "check site.toml against the reference in the README"}
	if t := tomlTypeErrRE.FindStringSubmatch(m[3]); t != nil {
		got, want := tomlTypeName(t[1]), t[2]
		inList := strings.HasPrefix(strings.TrimSpace(lineAfterEq(src, line)), "[")
		switch want {
		case "string":
			ce.Err = fmt.Errorf("%s is %s, not text", keyName, got)
			ce.Hint = fmt.Sprintf(`write text in double quotes: %s = "…"`, keyName)
			if inList && got != "a list" {
				ce.Err = fmt.Errorf("%s holds %s, not text", keyName, got)
				ce.Hint = fmt.Sprintf(`write each value in double quotes: %s = ["…", "…"]`, keyName)
			}
		case "slice":
			ce.Err = fmt.Errorf("%s is %s, not a list", keyName, got)
			ce.Hint = fmt.Sprintf(`write a list in square brackets: %s = ["…", "…"]`, keyName)
		case "integer":
			ce.Err = fmt.Errorf("%s is %s, not a whole number", keyName, got)
			ce.Hint = fmt.Sprintf("write a number without quotes: %s = 10", keyName)
		case "float":
			ce.Err = fmt.Errorf("%s is %s, not a number", keyName, got)
			ce.Hint = fmt.Sprintf("write a number without quotes: %s = 1.5", keyName)
		case "boolean":
			ce.Err = fmt.Errorf("%s is %s, not true or false", keyName, got)
			ce.Hint = fmt.Sprintf("write %s = true or %s = false, without quotes", keyName, keyName)
		case "map":
			ce.Err = fmt.Errorf("%s is %s, not a table", keyName, got)
			ce.Hint = fmt.Sprintf("write [%s] on a line of its own, with its keys below it", keyName)
		default:
			ce.Err = fmt.Errorf("%s is %s, which kb cannot read there", keyName, got)
		}
	} else if t := tomlTableErrRE.FindStringSubmatch(m[3]); t != nil {
		ce.Err = fmt.Errorf("%s is %s, not a table", keyName, tomlTypeName(t[1]))
		ce.Hint = fmt.Sprintf("write [%s] on a line of its own, with its keys below it", keyName)
	}
	return ce
}

// tomlTypeName names a decoded TOML value's Go type the way site.toml's
// author thinks of it.
func tomlTypeName(goType string) string {
	switch {
	case goType == "string":
		return "text"
	case strings.HasPrefix(goType, "int"), strings.HasPrefix(goType, "float"):
		return "a number"
	case goType == "bool":
		return "true or false"
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case strings.HasPrefix(goType, "map["):
		return "a table"
	case strings.HasPrefix(goType, "time."), strings.HasPrefix(goType, "toml.Local"):
		return "a date"
	}
	return "a " + goType
}

// lineAfterEq is what follows the first = on line n (1-based) of src.
func lineAfterEq(src []byte, n int) string {
	lines := strings.Split(string(src), "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	l := lines[n-1]
	if eq := strings.IndexByte(l, '='); eq >= 0 {
		return l[eq+1:]
	}
	return ""
}

// valueCol is the column (in characters, from 1) where the value on line
// n starts, or 1 when the line sets no key.
func valueCol(src []byte, n int) int {
	lines := strings.Split(string(src), "\n")
	if n < 1 || n > len(lines) {
		return 0
	}
	l := lines[n-1]
	eq := strings.IndexByte(l, '=')
	if eq < 0 {
		return 1 + len(l) - len(strings.TrimLeft(l, " \t"))
	}
	rest := l[eq+1:]
	start := eq + 1 + len(rest) - len(strings.TrimLeft(rest, " \t"))
	return utf8.RuneCountInString(l[:start]) + 1
}

// byteCol is the column (in characters, from 1) of byte offset off.
func byteCol(src []byte, off int) int {
	if off < 0 || off > len(src) {
		return 0
	}
	start := strings.LastIndexByte(string(src[:off]), '\n') + 1
	return utf8.RuneCount(src[start:off]) + 1
}

// arrayTableKeyLine finds key in the i-th (from 0) [[table]] of src, or
// that table's header when the key is not set in it.
func arrayTableKeyLine(src []byte, table string, i int, key string) int {
	n, header := -1, 0
	for j, l := range strings.Split(string(src), "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "[") {
			if n == i {
				break
			}
			if strings.HasPrefix(t, "[[") && strings.TrimSpace(strings.Trim(t, "[] ")) == table {
				n++
				if n == i {
					header = j + 1
				}
			}
			continue
		}
		if n != i {
			continue
		}
		if eq := strings.IndexByte(t, '='); eq > 0 && strings.Trim(strings.TrimSpace(t[:eq]), `"'`) == key {
			return j + 1
		}
	}
	return header
}

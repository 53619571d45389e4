package graphio

import (
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// A small JSON parser that keeps object key order and byte offsets, so
// that loads preserve property order and errors can say where they are.

type jkind byte

const (
	jNull jkind = iota
	jBool
	jNumber
	jString
	jArray
	jObject
)

func (k jkind) String() string {
	switch k {
	case jNull:
		return "null"
	case jBool:
		return "boolean"
	case jNumber:
		return "number"
	case jString:
		return "string"
	case jArray:
		return "array"
	case jObject:
		return "object"
	}
	return "?"
}

type jnode struct {
	kind jkind
	pos  int    // byte offset of the value's first byte in its line
	b    bool   // jBool
	s    string // jString value, jNumber literal
	arr  []*jnode
	keys []string // jObject, in order
	vals []*jnode
}

// get returns the member named key, or nil.
func (n *jnode) get(key string) *jnode {
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

// jsonSyntaxError is a malformed-JSON error at byte offset pos.
type jsonSyntaxError struct {
	pos int
	msg string
}

func (e *jsonSyntaxError) Error() string { return e.msg }

type jparser struct {
	data  []byte
	i     int
	depth int
}

const maxJSONDepth = 10000

// parseJSON parses exactly one JSON value (surrounding white space allowed).
func parseJSON(data []byte) (*jnode, error) {
	p := &jparser{data: data}
	p.ws()
	n, err := p.value()
	if err != nil {
		return nil, err
	}
	p.ws()
	if p.i < len(p.data) {
		return nil, p.errf("unexpected %s after the end of the JSON value", p.describe())
	}
	return n, nil
}

func (p *jparser) errf(format string, args ...any) error {
	return &jsonSyntaxError{pos: p.i, msg: fmt.Sprintf(format, args...)}
}

func (p *jparser) describe() string {
	if p.i >= len(p.data) {
		return "end of line"
	}
	r, _ := utf8.DecodeRune(p.data[p.i:])
	return strconv.QuoteRune(r)
}

func (p *jparser) ws() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jparser) value() (*jnode, error) {
	if p.i >= len(p.data) {
		return nil, p.errf("expected a JSON value, got end of line")
	}
	start := p.i
	switch c := p.data[p.i]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return &jnode{kind: jString, pos: start, s: s}, nil
	case c == 't':
		if err := p.lit("true"); err != nil {
			return nil, err
		}
		return &jnode{kind: jBool, pos: start, b: true}, nil
	case c == 'f':
		if err := p.lit("false"); err != nil {
			return nil, err
		}
		return &jnode{kind: jBool, pos: start}, nil
	case c == 'n':
		if err := p.lit("null"); err != nil {
			return nil, err
		}
		return &jnode{kind: jNull, pos: start}, nil
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	}
	return nil, p.errf("expected a JSON value, got %s", p.describe())
}

func (p *jparser) lit(word string) error {
	if len(p.data)-p.i >= len(word) && string(p.data[p.i:p.i+len(word)]) == word {
		p.i += len(word)
		return nil
	}
	return p.errf("expected %q, got %s", word, p.describe())
}

func (p *jparser) enter() error {
	p.depth++
	if p.depth > maxJSONDepth {
		return p.errf("JSON nested deeper than %d levels", maxJSONDepth)
	}
	return nil
}

func (p *jparser) object() (*jnode, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	n := &jnode{kind: jObject, pos: p.i}
	p.i++ // {
	p.ws()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		p.depth--
		return n, nil
	}
	for {
		p.ws()
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			return nil, p.errf("expected a quoted object key, got %s", p.describe())
		}
		k, err := p.str()
		if err != nil {
			return nil, err
		}
		p.ws()
		if p.i >= len(p.data) || p.data[p.i] != ':' {
			return nil, p.errf("expected ':' after object key %q, got %s", k, p.describe())
		}
		p.i++
		p.ws()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		n.keys = append(n.keys, k)
		n.vals = append(n.vals, v)
		p.ws()
		if p.i >= len(p.data) {
			return nil, p.errf("expected ',' or '}' in object, got end of line")
		}
		switch p.data[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			p.depth--
			return n, nil
		default:
			return nil, p.errf("expected ',' or '}' in object, got %s", p.describe())
		}
	}
}

func (p *jparser) array() (*jnode, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	n := &jnode{kind: jArray, pos: p.i}
	p.i++ // [
	p.ws()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		p.depth--
		n.arr = []*jnode{}
		return n, nil
	}
	for {
		p.ws()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		n.arr = append(n.arr, v)
		p.ws()
		if p.i >= len(p.data) {
			return nil, p.errf("expected ',' or ']' in array, got end of line")
		}
		switch p.data[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			p.depth--
			return n, nil
		default:
			return nil, p.errf("expected ',' or ']' in array, got %s", p.describe())
		}
	}
}

func (p *jparser) number() (*jnode, error) {
	start := p.i
	d := p.data
	if p.i < len(d) && d[p.i] == '-' {
		p.i++
	}
	digits := func() int {
		s := p.i
		for p.i < len(d) && d[p.i] >= '0' && d[p.i] <= '9' {
			p.i++
		}
		return p.i - s
	}
	if p.i < len(d) && d[p.i] == '0' {
		p.i++
	} else if digits() == 0 {
		return nil, p.errf("expected a digit in number, got %s", p.describe())
	}
	if p.i < len(d) && d[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return nil, p.errf("expected a digit after '.' in number, got %s", p.describe())
		}
	}
	if p.i < len(d) && (d[p.i] == 'e' || d[p.i] == 'E') {
		p.i++
		if p.i < len(d) && (d[p.i] == '+' || d[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return nil, p.errf("expected a digit in number exponent, got %s", p.describe())
		}
	}
	return &jnode{kind: jNumber, pos: start, s: string(d[start:p.i])}, nil
}

// str parses a string starting at the opening quote.
func (p *jparser) str() (string, error) {
	d := p.data
	p.i++ // "
	start := p.i
	// Fast path: no escapes.
	for p.i < len(d) {
		c := d[p.i]
		if c == '"' {
			s := d[start:p.i]
			p.i++
			if !utf8.Valid(s) {
				return string([]rune(string(s))), nil // replaces invalid bytes with U+FFFD
			}
			return string(s), nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", p.errf("control character %#02x inside a string", c)
		}
		p.i++
	}
	buf := append([]byte(nil), d[start:p.i]...)
	for p.i < len(d) {
		c := d[p.i]
		switch {
		case c == '"':
			p.i++
			if !utf8.Valid(buf) {
				return string([]rune(string(buf))), nil
			}
			return string(buf), nil
		case c < 0x20:
			return "", p.errf("control character %#02x inside a string", c)
		case c != '\\':
			buf = append(buf, c)
			p.i++
			continue
		}
		p.i++ // backslash
		if p.i >= len(d) {
			break
		}
		e := d[p.i]
		p.i++
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", p.errf("expected 4 hex digits after \\u")
			}
			if utf16.IsSurrogate(r) {
				if p.i+1 < len(d) && d[p.i] == '\\' && d[p.i+1] == 'u' {
					save := p.i
					p.i += 2
					r2, ok := p.hex4()
					if ok {
						if c := utf16.DecodeRune(r, r2); c != utf8.RuneError {
							r = c
						} else {
							p.i = save
							r = utf8.RuneError
						}
					} else {
						p.i = save
						r = utf8.RuneError
					}
				} else {
					r = utf8.RuneError
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			p.i--
			return "", p.errf("invalid escape '\\%c' in string", e)
		}
	}
	return "", p.errf("unterminated string")
}

func (p *jparser) hex4() (rune, bool) {
	if len(p.data)-p.i < 4 {
		return 0, false
	}
	var r rune
	for k := 0; k < 4; k++ {
		c := p.data[p.i+k]
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(v)
	}
	p.i += 4
	return r, true
}

// appendJSONString appends s as a JSON string literal. Invalid UTF-8 bytes
// become U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

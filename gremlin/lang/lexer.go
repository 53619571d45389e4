package lang

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind int

const (
	tEOF    tokKind = iota
	tIdent          // identifier or keyword
	tInt            // integer literal (text kept raw)
	tFloat          // floating point literal, including signed Infinity
	tString         // string literal (decoded value in val)
	tLParen
	tRParen
	tLBrack
	tRBrack
	tLBrace
	tRBrace
	tComma
	tDot
	tColon
	tSemi
	tAssign
	tArrow // "->", only ever seen inside lambdas
	tOther // any other operator character(s), e.g. "+", "==", "*"
)

var kindNames = map[tokKind]string{
	tEOF: "end of input", tIdent: "identifier", tInt: "integer", tFloat: "number",
	tString: "string", tLParen: "'('", tRParen: "')'", tLBrack: "'['", tRBrack: "']'",
	tLBrace: "'{'", tRBrace: "'}'", tComma: "','", tDot: "'.'", tColon: "':'",
	tSemi: "';'", tAssign: "'='", tArrow: "'->'", tOther: "operator",
}

// token is one lexical token.
type token struct {
	kind tokKind
	text string // source text
	val  string // decoded string value for tString
	line int    // 1-based
	col  int    // 1-based, counted in runes
	nl   bool   // a newline separates this token from the previous one
	off  int    // byte offset in the script
}

// describe renders the token for error messages: the way it appears in
// the source, quoted.
func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "end of input"
	case tString:
		s := t.text
		if len(s) > 40 {
			s = s[:37] + "..."
		}
		return s
	default:
		return "'" + t.text + "'"
	}
}

type lexer struct {
	src  string
	pos  int
	line int
	col  int
	toks []token
}

// lex splits the script into tokens. Comments (// and /* */) and
// whitespace are skipped; newlines are remembered on the following token
// because they can end a statement.
func lex(src string) ([]token, error) {
	l := &lexer{src: src, line: 1, col: 1}
	nl := false
	for {
		// skip whitespace and comments
		for l.pos < len(l.src) {
			c := l.src[l.pos]
			if c == '\n' {
				nl = true
				l.advance()
				continue
			}
			if c == ' ' || c == '\t' || c == '\r' || c == '\f' {
				l.advance()
				continue
			}
			if c == '\\' && l.pos+1 < len(l.src) && (l.src[l.pos+1] == '\n' || l.src[l.pos+1] == '\r') {
				// Groovy line continuation outside strings
				l.advance()
				continue
			}
			if strings.HasPrefix(l.src[l.pos:], "//") {
				for l.pos < len(l.src) && l.src[l.pos] != '\n' {
					l.advance()
				}
				continue
			}
			if strings.HasPrefix(l.src[l.pos:], "/*") {
				sl, sc := l.line, l.col
				l.advance()
				l.advance()
				closed := false
				for l.pos < len(l.src) {
					if strings.HasPrefix(l.src[l.pos:], "*/") {
						l.advance()
						l.advance()
						closed = true
						break
					}
					if l.src[l.pos] == '\n' {
						nl = true
					}
					l.advance()
				}
				if !closed {
					return nil, &SyntaxError{Line: sl, Column: sc, Found: "'/*'", Expected: "a closing '*/' for the comment"}
				}
				continue
			}
			r, _ := utf8.DecodeRuneInString(l.src[l.pos:])
			if r == '\u00a0' || r == '\ufeff' || r == '\u2028' || r == '\u2029' {
				l.advance()
				continue
			}
			break
		}
		if l.pos >= len(l.src) {
			l.toks = append(l.toks, token{kind: tEOF, line: l.line, col: l.col, nl: true, off: l.pos})
			return l.toks, nil
		}
		t, err := l.next()
		if err != nil {
			return nil, err
		}
		t.nl = nl
		nl = false
		l.toks = append(l.toks, t)
	}
}

// advance moves one rune forward, tracking line and column.
func (l *lexer) advance() rune {
	r, size := utf8.DecodeRuneInString(l.src[l.pos:])
	l.pos += size
	if r == '\n' {
		l.line++
		l.col = 1
	} else {
		l.col++
	}
	return r
}

func (l *lexer) peekByte(i int) byte {
	if l.pos+i < len(l.src) {
		return l.src[l.pos+i]
	}
	return 0
}

func isDigit(c byte) bool    { return c >= '0' && c <= '9' }
func isHexDigit(c byte) bool { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') }

func isIdentStart(r rune) bool {
	return r == '_' || r == '$' || unicode.IsLetter(r) || (r > 0x7f && unicode.Is(unicode.Sc, r))
}

func isIdentPart(r rune) bool {
	return isIdentStart(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
}

func (l *lexer) next() (token, error) {
	start := token{line: l.line, col: l.col, off: l.pos}
	c := l.src[l.pos]
	single := func(k tokKind) (token, error) {
		l.advance()
		start.kind = k
		start.text = l.src[start.off:l.pos]
		return start, nil
	}
	switch c {
	case '(':
		return single(tLParen)
	case ')':
		return single(tRParen)
	case '[':
		return single(tLBrack)
	case ']':
		return single(tRBrack)
	case '{':
		return single(tLBrace)
	case '}':
		return single(tRBrace)
	case ',':
		return single(tComma)
	case ':':
		return single(tColon)
	case ';':
		return single(tSemi)
	case '.':
		if isDigit(l.peekByte(1)) && (len(l.toks) == 0 || l.toks[len(l.toks)-1].kind != tDot) {
			return start, l.errAt(start, "'."+string(l.peekByte(1))+"'", "a method name after '.' (a decimal number needs a digit before its point)")
		}
		return single(tDot)
	case '"', '\'':
		return l.lexString(start)
	case '-', '+':
		if isDigit(l.peekByte(1)) {
			return l.lexNumber(start)
		}
		if strings.HasPrefix(l.src[l.pos+1:], "Infinity") && !l.identContinues(l.pos+1+len("Infinity")) {
			for i := 0; i < 1+len("Infinity"); i++ {
				l.advance()
			}
			start.kind = tFloat
			start.text = l.src[start.off:l.pos]
			return start, nil
		}
		if c == '-' && l.peekByte(1) == '>' {
			l.advance()
			l.advance()
			start.kind = tArrow
			start.text = "->"
			return start, nil
		}
		return l.lexOther(start)
	case '=':
		if l.peekByte(1) == '=' || l.peekByte(1) == '~' {
			return l.lexOther(start)
		}
		return single(tAssign)
	}
	if isDigit(c) {
		return l.lexNumber(start)
	}
	r, _ := utf8.DecodeRuneInString(l.src[l.pos:])
	if r == utf8.RuneError {
		return start, l.errAt(start, fmt.Sprintf("invalid UTF-8 byte 0x%02x", c), "valid UTF-8 text")
	}
	if isIdentStart(r) {
		for l.pos < len(l.src) {
			r, _ := utf8.DecodeRuneInString(l.src[l.pos:])
			if !isIdentPart(r) {
				break
			}
			l.advance()
		}
		start.kind = tIdent
		start.text = l.src[start.off:l.pos]
		return start, nil
	}
	return l.lexOther(start)
}

func (l *lexer) identContinues(at int) bool {
	if at >= len(l.src) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(l.src[at:])
	return isIdentPart(r)
}

// lexOther groups a run of operator characters into one token, so that
// Groovy operators in a closure ("==", "+", "*") produce one token each.
func (l *lexer) lexOther(start token) (token, error) {
	const ops = "+-*/%<>!=&|^~?@#\\`"
	l.advance()
	for l.pos < len(l.src) && strings.IndexByte(ops, l.src[l.pos]) >= 0 &&
		!strings.HasPrefix(l.src[l.pos:], "//") && !strings.HasPrefix(l.src[l.pos:], "/*") {
		l.advance()
	}
	start.kind = tOther
	start.text = l.src[start.off:l.pos]
	return start, nil
}

func (l *lexer) errAt(t token, found, expected string) error {
	return &SyntaxError{Line: t.line, Column: t.col, Found: found, Expected: expected}
}

// lexNumber scans an integer or floating point literal with an optional
// sign, underscores, hex/octal forms and a type suffix.
func (l *lexer) lexNumber(start token) (token, error) {
	if c := l.src[l.pos]; c == '-' || c == '+' {
		l.advance()
	}
	kind := tInt
	digits := func(hex bool) {
		for l.pos < len(l.src) {
			c := l.src[l.pos]
			if c == '_' || isDigit(c) || (hex && isHexDigit(c)) {
				l.advance()
				continue
			}
			break
		}
	}
	if l.src[l.pos] == '0' && (l.peekByte(1) == 'x' || l.peekByte(1) == 'X') {
		l.advance()
		l.advance()
		if !isHexDigit(l.peekByte(0)) {
			return start, l.errAt(start, "'"+l.src[start.off:l.pos]+"'", "hexadecimal digits after 0x")
		}
		digits(true)
		switch l.peekByte(0) {
		case 'b', 'B', 's', 'S', 'n', 'N', 'i', 'I', 'l', 'L':
			l.advance()
		}
	} else {
		digits(false)
		if l.peekByte(0) == '.' && isDigit(l.peekByte(1)) {
			kind = tFloat
			l.advance()
			digits(false)
		}
		if c := l.peekByte(0); c == 'e' || c == 'E' {
			n := 1
			if s := l.peekByte(1); s == '+' || s == '-' {
				n = 2
			}
			if isDigit(l.peekByte(n)) {
				kind = tFloat
				for i := 0; i < n; i++ {
					l.advance()
				}
				digits(false)
			}
		}
		switch l.peekByte(0) {
		case 'f', 'F', 'd', 'D', 'm', 'M':
			kind = tFloat
			l.advance()
		case 'b', 'B', 's', 'S', 'n', 'N', 'i', 'I', 'l', 'L':
			if kind == tInt {
				l.advance()
			}
		}
	}
	start.kind = kind
	start.text = l.src[start.off:l.pos]
	if l.identContinues(l.pos) {
		r, _ := utf8.DecodeRuneInString(l.src[l.pos:])
		return start, l.errAt(start, "'"+start.text+string(r)+"'", "a number (unknown number suffix)")
	}
	if strings.HasSuffix(strings.TrimRight(start.text, "bBsSnNiIlLfFdDmM"), "_") {
		return start, l.errAt(start, "'"+start.text+"'", "a number (an underscore cannot end a number)")
	}
	return start, nil
}

// lexString scans a single- or double-quoted string with Java escapes.
func (l *lexer) lexString(start token) (token, error) {
	quote := l.src[l.pos]
	l.advance()
	var b strings.Builder
	for {
		if l.pos >= len(l.src) {
			return start, l.errAt(start, "an unterminated string", "a closing "+string(quote))
		}
		c := l.src[l.pos]
		if c == quote {
			l.advance()
			break
		}
		if c == '\\' {
			escLine, escCol := l.line, l.col
			l.advance()
			if l.pos >= len(l.src) {
				return start, l.errAt(start, "an unterminated string", "a closing "+string(quote))
			}
			e := l.src[l.pos]
			switch e {
			case 'b':
				b.WriteByte('\b')
			case 't':
				b.WriteByte('\t')
			case 'n':
				b.WriteByte('\n')
			case 'f':
				b.WriteByte('\f')
			case 'r':
				b.WriteByte('\r')
			case '"', '\'', '\\':
				b.WriteByte(e)
			case '\r', '\n':
				// line continuation inside a string: dropped
				if e == '\r' && l.peekByte(1) == '\n' {
					l.advance()
				}
			case 'u':
				for l.peekByte(0) == 'u' {
					l.advance()
				}
				if l.pos+4 > len(l.src) || !isHexDigit(l.src[l.pos]) || !isHexDigit(l.src[l.pos+1]) ||
					!isHexDigit(l.src[l.pos+2]) || !isHexDigit(l.src[l.pos+3]) {
					return start, &SyntaxError{Line: escLine, Column: escCol, Found: "a malformed \\u escape", Expected: "four hexadecimal digits after \\u"}
				}
				var v rune
				for i := 0; i < 4; i++ {
					v = v*16 + rune(hexVal(l.src[l.pos]))
					l.advance()
				}
				// combine UTF-16 surrogate pairs written as two escapes
				if v >= 0xD800 && v < 0xDC00 && strings.HasPrefix(l.src[l.pos:], "\\u") && l.pos+6 <= len(l.src) {
					ok := true
					var lo rune
					for i := 2; i < 6; i++ {
						if !isHexDigit(l.src[l.pos+i]) {
							ok = false
							break
						}
						lo = lo*16 + rune(hexVal(l.src[l.pos+i]))
					}
					if ok && lo >= 0xDC00 && lo < 0xE000 {
						for i := 0; i < 6; i++ {
							l.advance()
						}
						v = (v-0xD800)<<10 + (lo - 0xDC00) + 0x10000
					}
				}
				b.WriteRune(v)
				continue
			default:
				if e >= '0' && e <= '7' {
					// octal escape: up to three digits, max \377
					v := 0
					n := 0
					maxDigits := 2
					if e <= '3' {
						maxDigits = 3
					}
					for n < maxDigits && l.pos < len(l.src) && l.src[l.pos] >= '0' && l.src[l.pos] <= '7' {
						v = v*8 + int(l.src[l.pos]-'0')
						l.advance()
						n++
					}
					b.WriteRune(rune(v))
					continue
				}
				return start, &SyntaxError{Line: escLine, Column: escCol, Found: "'\\" + string(e) + "'", Expected: "a valid escape sequence (\\b \\t \\n \\f \\r \\\" \\' \\\\ \\uXXXX or octal)"}
			}
			l.advance()
			continue
		}
		r, size := utf8.DecodeRuneInString(l.src[l.pos:])
		if r == utf8.RuneError && size == 1 {
			return start, l.errAt(start, fmt.Sprintf("invalid UTF-8 byte 0x%02x in a string", c), "valid UTF-8 text")
		}
		b.WriteString(l.src[l.pos : l.pos+size])
		l.advance()
	}
	start.kind = tString
	start.text = l.src[start.off:l.pos]
	start.val = b.String()
	return start, nil
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	default:
		return int(c-'A') + 10
	}
}

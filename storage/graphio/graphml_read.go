package graphio

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/kvtgraph/kvtgraph/storage"
)

// GraphML attribute types (attr.type) and the Go types they load as.
const (
	gmlBoolean = "boolean" // bool
	gmlInt     = "int"     // int32
	gmlLong    = "long"    // int64
	gmlFloat   = "float"   // float32
	gmlDouble  = "double"  // float64
	gmlString  = "string"  // string
)

type gmlKey struct {
	name string // attr.name; "" means the key's data are ignored (as GraphMLReader does)
	typ  string
	line int
}

type gmlReader struct {
	l    *loader
	dec  *xml.Decoder
	keys map[string]*gmlKey // by for + "|" + id: TinkerPop's GraphMLWriter declares a node and an edge key with the same id
	byID map[string]*gmlKey // by id alone (first declared), the fallback GraphMLReader effectively uses
	vKey string             // vertex label key id
	eKey string             // edge label key id
}

func (l *loader) readGraphML(r io.Reader) error {
	g := &gmlReader{
		l:    l,
		dec:  xml.NewDecoder(r),
		keys: make(map[string]*gmlKey),
		byID: make(map[string]*gmlKey),
		vKey: l.opts.VertexLabelKey,
		eKey: l.opts.EdgeLabelKey,
	}
	if g.vKey == "" {
		g.vKey = "labelV"
	}
	if g.eKey == "" {
		g.eKey = "labelE"
	}
	g.dec.Strict = true
	return g.document()
}

func (g *gmlReader) line() int {
	line, _ := g.dec.InputPos()
	return line
}

func (g *gmlReader) errf(line int, format string, args ...any) error {
	return g.l.parseErr(line, 0, format, args...)
}

// token returns the next token, turning XML syntax errors into ParseErrors.
func (g *gmlReader) token() (xml.Token, error) {
	t, err := g.dec.Token()
	if err != nil {
		if err == io.EOF {
			return nil, err
		}
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return nil, &ParseError{Name: g.l.name, Line: se.Line, Msg: "invalid XML: " + se.Msg, Err: err}
		}
		return nil, fmt.Errorf("graphio: reading %s: %w", g.l.name, err)
	}
	return t, nil
}

func attr(se xml.StartElement, name string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

func (g *gmlReader) document() error {
	sawRoot := false
	for {
		t, err := g.token()
		if err == io.EOF {
			if !sawRoot {
				return g.errf(g.line(), "expected a <graphml> root element, got end of input")
			}
			return nil
		}
		if err != nil {
			return err
		}
		switch t := t.(type) {
		case xml.StartElement:
			if sawRoot {
				return g.errf(g.line(), "unexpected <%s> after the </graphml> root element", t.Name.Local)
			}
			if t.Name.Local != "graphml" {
				return g.errf(g.line(), "expected a <graphml> root element, got <%s>", t.Name.Local)
			}
			sawRoot = true
			if err := g.graphml(); err != nil {
				return err
			}
		case xml.CharData:
			if len(strings.TrimSpace(string(t))) != 0 {
				return g.errf(g.line(), "unexpected text %q outside the <graphml> element", clip(string(t)))
			}
		}
	}
}

func clip(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// graphml reads the children of <graphml> up to </graphml>.
func (g *gmlReader) graphml() error {
	graphs := 0
	for {
		t, err := g.token()
		if err == io.EOF {
			return g.errf(g.line(), "unexpected end of input: <graphml> is not closed")
		}
		if err != nil {
			return err
		}
		switch t := t.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "key":
				if err := g.key(t); err != nil {
					return err
				}
			case "graph":
				graphs++
				if graphs > 1 {
					return g.errf(g.line(), "more than one <graph> in the file; only one graph can be loaded")
				}
				if err := g.graph(t); err != nil {
					return err
				}
			default: // <desc>, <data> for the document, extensions
				if err := g.dec.Skip(); err != nil {
					return g.wrapSkip(err)
				}
			}
		case xml.EndElement:
			return nil
		}
	}
}

func (g *gmlReader) wrapSkip(err error) error {
	if err == io.EOF {
		return g.errf(g.line(), "unexpected end of input inside an element")
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return &ParseError{Name: g.l.name, Line: se.Line, Msg: "invalid XML: " + se.Msg, Err: err}
	}
	return err
}

func (g *gmlReader) key(se xml.StartElement) error {
	line := g.line()
	id, ok := attr(se, "id")
	if !ok || id == "" {
		return g.errf(line, "<key> has no id attribute")
	}
	domain, ok := attr(se, "for")
	if !ok {
		domain = "all"
	}
	if prev, dup := g.keys[domain+"|"+id]; dup {
		return g.errf(line, "<key id=%q for=%q> is declared twice (first on line %d)", id, domain, prev.line)
	}
	k := &gmlKey{line: line, typ: gmlString}
	k.name, _ = attr(se, "attr.name")
	if typ, ok := attr(se, "attr.type"); ok {
		switch typ {
		case gmlBoolean, gmlInt, gmlLong, gmlFloat, gmlDouble, gmlString:
			k.typ = typ
		default:
			return g.errf(line, "<key id=%q> has attr.type %q; want one of boolean, int, long, float, double, string", id, typ)
		}
	}
	g.keys[domain+"|"+id] = k
	if _, ok := g.byID[id]; !ok {
		g.byID[id] = k
	}
	// <default> and <desc> children are not used.
	if err := g.dec.Skip(); err != nil {
		return g.wrapSkip(err)
	}
	return nil
}

func (g *gmlReader) graph(se xml.StartElement) error {
	for {
		t, err := g.token()
		if err == io.EOF {
			return g.errf(g.line(), "unexpected end of input: <graph> is not closed")
		}
		if err != nil {
			return err
		}
		switch t := t.(type) {
		case xml.StartElement:
			if err := g.l.tick(); err != nil {
				return err
			}
			switch t.Name.Local {
			case "node":
				if err := g.node(t); err != nil {
					return err
				}
			case "edge":
				if err := g.edge(t); err != nil {
					return err
				}
			case "hyperedge":
				return g.errf(g.line(), "<hyperedge> is not supported: property graphs have binary edges only")
			case "key":
				if err := g.key(t); err != nil {
					return err
				}
			default: // <desc>, graph-level <data>
				if err := g.dec.Skip(); err != nil {
					return g.wrapSkip(err)
				}
			}
		case xml.EndElement:
			return nil
		}
	}
}

// elementData reads the children of a <node> or <edge>: its <data> values,
// its label and its properties in document order.
func (g *gmlReader) elementData(what, labelKey string) (label string, hasLabel bool, props []storage.KeyValue, err error) {
	seen := map[string]bool{}
	for {
		t, err := g.token()
		if err == io.EOF {
			return "", false, nil, g.errf(g.line(), "unexpected end of input: <%s> is not closed", what)
		}
		if err != nil {
			return "", false, nil, err
		}
		switch t := t.(type) {
		case xml.StartElement:
			line := g.line()
			switch t.Name.Local {
			case "data":
			case "graph":
				return "", false, nil, g.errf(line, "nested <graph> inside a <%s> is not supported", what)
			default: // <desc>, <port>, extensions
				if err := g.dec.Skip(); err != nil {
					return "", false, nil, g.wrapSkip(err)
				}
				continue
			}
			keyID, ok := attr(t, "key")
			if !ok {
				return "", false, nil, g.errf(line, "<data> inside <%s> has no key attribute", what)
			}
			k := g.lookupKey(what, keyID)
			if k == nil && keyID != labelKey {
				return "", false, nil, g.errf(line, "<data key=%q> inside <%s>: no <key id=%q> is declared before it", keyID, what, keyID)
			}
			if k != nil && k.name == "" && keyID != labelKey {
				// A key without attr.name (yEd graphics and the like): ignored.
				if err := g.dec.Skip(); err != nil {
					return "", false, nil, g.wrapSkip(err)
				}
				continue
			}
			text, err := g.text("data")
			if err != nil {
				return "", false, nil, err
			}
			if seen[keyID] {
				return "", false, nil, g.errf(line, "<%s> has two <data key=%q> values; GraphML elements hold one value per key", what, keyID)
			}
			seen[keyID] = true
			if keyID == labelKey {
				if text == "" {
					return "", false, nil, g.errf(line, "<%s> has an empty label (<data key=%q>)", what, keyID)
				}
				label, hasLabel = text, true
				continue
			}
			v, err := castGraphML(k.typ, text)
			if err != nil {
				return "", false, nil, g.errf(line, "<data key=%q> (attr.name %q, attr.type %s): %v", keyID, k.name, k.typ, err)
			}
			for _, p := range props {
				if p.Key == k.name {
					return "", false, nil, g.errf(line, "<%s> has two values for property %q (keys with the same attr.name)", what, k.name)
				}
			}
			props = append(props, storage.KeyValue{Key: k.name, Value: v})
		case xml.EndElement:
			return label, hasLabel, props, nil
		}
	}
}

// lookupKey finds the key a <data> of a <node> or <edge> refers to: one
// declared for that element kind, else for "all", else any.
func (g *gmlReader) lookupKey(domain, id string) *gmlKey {
	if k := g.keys[domain+"|"+id]; k != nil {
		return k
	}
	if k := g.keys["all|"+id]; k != nil {
		return k
	}
	return g.byID[id]
}

// text reads character data up to the end of the current element.
func (g *gmlReader) text(what string) (string, error) {
	var b strings.Builder
	for {
		t, err := g.token()
		if err == io.EOF {
			return "", g.errf(g.line(), "unexpected end of input: <%s> is not closed", what)
		}
		if err != nil {
			return "", err
		}
		switch t := t.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			return "", g.errf(g.line(), "<%s> must hold text only, got a <%s> element inside it", what, t.Name.Local)
		case xml.EndElement:
			return b.String(), nil
		}
	}
}

func castGraphML(typ, text string) (any, error) {
	switch typ {
	case gmlString:
		return text, nil
	case gmlBoolean:
		switch strings.ToLower(strings.TrimSpace(text)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, fmt.Errorf("expected true or false, got %q", text)
	case gmlInt:
		i, err := strconv.ParseInt(strings.TrimSpace(text), 10, 32)
		if err != nil {
			return nil, fmt.Errorf("expected a 32-bit integer, got %q", text)
		}
		return int32(i), nil
	case gmlLong:
		i, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("expected a 64-bit integer, got %q", text)
		}
		return i, nil
	case gmlFloat:
		f, err := strconv.ParseFloat(strings.TrimSpace(text), 32)
		if err != nil {
			return nil, fmt.Errorf("expected a float, got %q", text)
		}
		return float32(f), nil
	case gmlDouble:
		f, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
		if err != nil {
			return nil, fmt.Errorf("expected a double, got %q", text)
		}
		return f, nil
	}
	return nil, fmt.Errorf("unknown attr.type %q", typ)
}

func (g *gmlReader) node(se xml.StartElement) error {
	line := g.line()
	raw, ok := attr(se, "id")
	if !ok {
		return g.errf(line, "<node> has no id attribute")
	}
	id, err := g.l.convertID(raw)
	if err != nil {
		return g.errf(line, "<node id=%q>: %v", raw, err)
	}
	label, hasLabel, props, err := g.elementData("node", g.vKey)
	if err != nil {
		return err
	}
	if !hasLabel {
		label = "vertex"
	}
	return g.l.addVertex(line, id, label, props, nil)
}

func (g *gmlReader) edge(se xml.StartElement) error {
	line := g.line()
	op := &writeOp{kind: opEdge, line: line}
	if raw, ok := attr(se, "id"); ok {
		id, err := g.l.convertID(raw)
		if err != nil {
			return g.errf(line, "<edge id=%q>: %v", raw, err)
		}
		op.id = id
	}
	for _, end := range []struct {
		attr string
		dst  *any
	}{{"source", &op.out}, {"target", &op.in}} {
		raw, ok := attr(se, end.attr)
		if !ok {
			return g.errf(line, "<edge> has no %s attribute", end.attr)
		}
		id, err := g.l.convertID(raw)
		if err != nil {
			return g.errf(line, "<edge %s=%q>: %v", end.attr, raw, err)
		}
		*end.dst = id
	}
	label, hasLabel, props, err := g.elementData("edge", g.eKey)
	if err != nil {
		return err
	}
	if !hasLabel {
		label = "edge"
	}
	op.label, op.props = label, props
	return g.l.addEdge(op)
}

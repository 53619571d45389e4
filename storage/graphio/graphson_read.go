package graphio

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/kvtgraph/kvtgraph/storage"
)

// lineError is a problem inside one GraphSON line at byte offset pos.
type lineError struct {
	pos int
	msg string
}

func (e *lineError) Error() string { return e.msg }

func lerr(n *jnode, format string, args ...any) error {
	return &lineError{pos: n.pos, msg: fmt.Sprintf(format, args...)}
}

func (l *loader) readGraphSON(r io.Reader) error {
	lr := newLineReader(r)
	for {
		data, err := lr.next()
		if err == io.EOF {
			if l.inEdges > 0 && l.inEdges != l.outEdges {
				return &ParseError{Name: l.name, Msg: fmt.Sprintf("the input lists %d edges under \"inE\" but %d under \"outE\"; edges are loaded from \"outE\", so every edge must be listed there (GraphSON written with direction OUT or BOTH)", l.inEdges, l.outEdges)}
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("graphio: reading %s: %w", l.name, err)
		}
		if lr.line == 1 {
			data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // UTF-8 BOM
		}
		if len(bytes.TrimSpace(data)) == 0 {
			continue
		}
		if err := l.tick(); err != nil {
			return err
		}
		if err := l.graphSONLine(lr.line, data); err != nil {
			return err
		}
	}
}

func (l *loader) graphSONLine(line int, data []byte) error {
	n, err := parseJSON(data)
	if err != nil {
		var se *jsonSyntaxError
		if errors.As(err, &se) {
			return l.parseErr(line, se.pos+1, "invalid JSON: %s", se.msg)
		}
		return err
	}
	err = l.graphSONVertex(line, n)
	if err != nil {
		var le *lineError
		var ve *valueError
		switch {
		case errors.As(err, &le):
			return l.parseErr(line, le.pos+1, "%s", le.msg)
		case errors.As(err, &ve):
			return l.parseErr(line, ve.pos+1, "%s", ve.msg)
		}
	}
	return err
}

// elementID decodes an element id and applies the id type.
func (l *loader) elementID(what string, n *jnode) (any, error) {
	v, err := decodeValue(n)
	if err != nil {
		return nil, err
	}
	if !validID(v) {
		return nil, lerr(n, "%s must be a string, integer or UUID, got %s", what, describeValue(v))
	}
	c, err := l.convertID(v)
	if err != nil {
		return nil, lerr(n, "%s: %v", what, err)
	}
	return c, nil
}

func describeValue(v any) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

func (l *loader) graphSONVertex(line int, n *jnode) error {
	if n.kind != jObject {
		return lerr(n, "expected a JSON object describing one vertex (GraphSON adjacency format: {\"id\":…,\"label\":…,\"properties\":{…},\"outE\":{…}}), got %s", n.kind)
	}
	var idN, labelN, propsN, outN, inN *jnode
	for i, k := range n.keys {
		v := n.vals[i]
		switch k {
		case "id":
			idN = v
		case "label":
			labelN = v
		case "properties":
			propsN = v
		case "outE":
			outN = v
		case "inE":
			inN = v
		case "@type":
			return lerr(n, "expected an untyped vertex object, got a typed value (\"@type\"); GraphSON adjacency lines are {\"id\":…,\"label\":…,…}")
		default:
			return lerr(v, "unexpected field %q in vertex (want id, label, properties, outE, inE)", k)
		}
	}
	if idN == nil {
		return lerr(n, "vertex has no \"id\"")
	}
	vid, err := l.elementID("vertex id", idN)
	if err != nil {
		return err
	}
	label := "vertex"
	if labelN != nil {
		if labelN.kind != jString || labelN.s == "" {
			return lerr(labelN, "vertex label must be a non-empty string, got %s", describeNode(labelN))
		}
		label = labelN.s
	}
	var vps []writeOp
	if propsN != nil {
		if vps, err = l.graphSONVertexProperties(line, vid, propsN); err != nil {
			return err
		}
	}
	var edges []*writeOp
	if outN != nil {
		if edges, err = l.graphSONEdges(line, vid, outN, true); err != nil {
			return err
		}
	}
	if inN != nil {
		in, err := l.graphSONEdges(line, vid, inN, false)
		if err != nil {
			return err
		}
		l.inEdges += int64(len(in))
	}
	l.outEdges += int64(len(edges))
	if err := l.addVertex(line, vid, label, nil, vps); err != nil {
		return err
	}
	for _, e := range edges {
		if err := l.addEdge(e); err != nil {
			return err
		}
	}
	return nil
}

func describeNode(n *jnode) string {
	if n.kind == jString {
		return fmt.Sprintf("%q", n.s)
	}
	return n.kind.String()
}

// graphSONVertexProperties reads {"key":[{"id":…,"value":…,"properties":{…}},…],…}.
func (l *loader) graphSONVertexProperties(line int, vid any, n *jnode) ([]writeOp, error) {
	if n.kind != jObject {
		return nil, lerr(n, "\"properties\" must be an object mapping each key to a list of vertex properties, got %s", n.kind)
	}
	var ops []writeOp
	for i, key := range n.keys {
		list := n.vals[i]
		if key == "" {
			return nil, lerr(list, "vertex property key must not be empty")
		}
		if list.kind != jArray {
			return nil, lerr(list, "vertex property %q: expected a list of {\"id\":…,\"value\":…} objects, got %s", key, list.kind)
		}
		for _, e := range list.arr {
			if e.kind != jObject {
				return nil, lerr(e, "vertex property %q: expected an object {\"id\":…,\"value\":…}, got %s", key, e.kind)
			}
			op := writeOp{kind: opVertexProperty, line: line, vid: vid, key: key}
			var valN, metaN *jnode
			for j, f := range e.keys {
				fv := e.vals[j]
				switch f {
				case "id":
					id, err := decodeValue(fv)
					if err != nil {
						return nil, err
					}
					if !validID(id) {
						return nil, lerr(fv, "vertex property %q: id must be a string, integer or UUID, got %s", key, describeValue(id))
					}
					op.id = id
				case "value":
					valN = fv
				case "properties":
					metaN = fv
				case "label":
					if fv.kind != jString || fv.s != key {
						return nil, lerr(fv, "vertex property %q: \"label\" must repeat the key, got %s", key, describeNode(fv))
					}
				default:
					return nil, lerr(fv, "vertex property %q: unexpected field %q (want id, value, properties)", key, f)
				}
			}
			if valN == nil {
				return nil, lerr(e, "vertex property %q has no \"value\"", key)
			}
			v, err := decodeValue(valN)
			if err != nil {
				return nil, err
			}
			if v == nil {
				return nil, lerr(valN, "vertex property %q: value must not be null", key)
			}
			op.val = v
			if metaN != nil {
				if op.props, err = l.graphSONPropertyMap(fmt.Sprintf("meta-properties of vertex property %q", key), metaN); err != nil {
					return nil, err
				}
			}
			ops = append(ops, op)
		}
	}
	return ops, nil
}

// graphSONPropertyMap reads {"key": typedValue, …}.
func (l *loader) graphSONPropertyMap(what string, n *jnode) ([]storage.KeyValue, error) {
	if n.kind != jObject {
		return nil, lerr(n, "%s must be an object {\"key\": value, …}, got %s", what, n.kind)
	}
	out := make([]storage.KeyValue, 0, len(n.keys))
	for i, k := range n.keys {
		if k == "" {
			return nil, lerr(n.vals[i], "%s: empty property key", what)
		}
		for _, prev := range out {
			if prev.Key == k {
				return nil, lerr(n.vals[i], "%s: key %q appears twice", what, k)
			}
		}
		v, err := decodeValue(n.vals[i])
		if err != nil {
			return nil, err
		}
		if v == nil {
			return nil, lerr(n.vals[i], "%s: property %q is null", what, k)
		}
		out = append(out, storage.KeyValue{Key: k, Value: v})
	}
	return out, nil
}

// graphSONEdges reads {"label":[{"id":…,"inV":…,"properties":{…}},…],…};
// out selects outE (edges returned) or inE (checked only).
func (l *loader) graphSONEdges(line int, vid any, n *jnode, out bool) ([]*writeOp, error) {
	field, other := "outE", "inV"
	if !out {
		field, other = "inE", "outV"
	}
	if n.kind != jObject {
		return nil, lerr(n, "%q must be an object mapping each edge label to a list of edges, got %s", field, n.kind)
	}
	var edges []*writeOp
	for i, label := range n.keys {
		list := n.vals[i]
		if label == "" {
			return nil, lerr(list, "%s: edge label must not be empty", field)
		}
		if list.kind != jArray {
			return nil, lerr(list, "%s %q: expected a list of {\"id\":…,%q:…} objects, got %s", field, label, other, list.kind)
		}
		for _, e := range list.arr {
			if e.kind != jObject {
				return nil, lerr(e, "%s %q: expected an edge object {\"id\":…,%q:…}, got %s", field, label, other, e.kind)
			}
			op := &writeOp{kind: opEdge, line: line, label: label}
			var otherN *jnode
			for j, f := range e.keys {
				fv := e.vals[j]
				switch f {
				case "id":
					id, err := l.elementID("edge id", fv)
					if err != nil {
						return nil, err
					}
					op.id = id
				case other:
					otherN = fv
				case "properties":
					props, err := l.graphSONPropertyMap(fmt.Sprintf("properties of %s edge %q", field, label), fv)
					if err != nil {
						return nil, err
					}
					op.props = props
				default:
					return nil, lerr(fv, "%s %q: unexpected field %q in edge (want id, %s, properties)", field, label, f, other)
				}
			}
			if otherN == nil {
				return nil, lerr(e, "%s %q: edge has no %q", field, label, other)
			}
			end, err := l.elementID(fmt.Sprintf("%s %q: %s", field, label, other), otherN)
			if err != nil {
				return nil, err
			}
			if out {
				op.out, op.in = vid, end
			} else {
				op.out, op.in = end, vid
			}
			edges = append(edges, op)
		}
	}
	return edges, nil
}

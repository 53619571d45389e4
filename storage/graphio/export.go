package graphio

import (
	"bufio"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// Export writes every vertex and edge tx sees to w in the given format.
// Use a read-only snapshot transaction for a consistent export of a live
// graph. GraphSON export writes one vertex per line with its "inE" and
// "outE" edges, as TinkerPop's GraphSONWriter does; GraphML export scans the
// graph twice (once to declare the keys) and fails on data GraphML cannot
// hold (see the package documentation).
func Export(ctx context.Context, tx storage.GraphTx, w io.Writer, format Format) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	var err error
	switch format {
	case GraphSON:
		err = exportGraphSON(ctx, tx, bw)
	case GraphML:
		err = exportGraphML(ctx, tx, bw)
	default:
		err = fmt.Errorf("graphio: unknown format %v", format)
	}
	if err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("graphio: writing export: %w", err)
	}
	return nil
}

// forEachVertex runs fn on every vertex, checking ctx now and then.
func forEachVertex(ctx context.Context, tx storage.GraphTx, fn func(*value.Vertex) error) error {
	it := tx.ScanVertices("")
	defer it.Close()
	n := 0
	for {
		v, ok := it.Next()
		if !ok {
			break
		}
		if n++; n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("graphio: scanning vertices: %w", err)
	}
	return ctx.Err()
}

func collectEdges(it storage.EdgeIter) ([]*value.Edge, error) {
	defer it.Close()
	var out []*value.Edge
	for {
		e, ok := it.Next()
		if !ok {
			break
		}
		out = append(out, e)
	}
	return out, it.Err()
}

func exportGraphSON(ctx context.Context, tx storage.GraphTx, w *bufio.Writer) error {
	var b []byte
	return forEachVertex(ctx, tx, func(v *value.Vertex) error {
		var err error
		b = b[:0]
		if b, err = appendGraphSONVertex(tx, b, v); err != nil {
			return err
		}
		b = append(b, '\n')
		if _, err := w.Write(b); err != nil {
			return fmt.Errorf("graphio: writing export: %w", err)
		}
		return nil
	})
}

func appendGraphSONVertex(tx storage.GraphTx, b []byte, v *value.Vertex) ([]byte, error) {
	var err error
	b = append(b, `{"id":`...)
	if b, err = AppendValue(b, v.ID); err != nil {
		return b, fmt.Errorf("graphio: vertex %s: %w", fmtID(v.ID), err)
	}
	b = append(b, `,"label":`...)
	b = appendJSONString(b, v.Label)
	for _, dir := range []storage.Direction{storage.In, storage.Out} {
		edges, err := collectEdges(tx.EdgesOf(v.ID, dir, nil))
		if err != nil {
			return b, fmt.Errorf("graphio: reading the edges of vertex %s: %w", fmtID(v.ID), err)
		}
		if len(edges) == 0 {
			continue
		}
		field, other := `,"inE":{`, `,"outV":`
		if dir == storage.Out {
			field, other = `,"outE":{`, `,"inV":`
		}
		b = append(b, field...)
		labels, groups := groupEdges(edges)
		for i, label := range labels {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, label)
			b = append(b, ":["...)
			for j, e := range groups[label] {
				if j > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"id":`...)
				if b, err = AppendValue(b, e.ID); err != nil {
					return b, fmt.Errorf("graphio: edge %s: %w", fmtID(e.ID), err)
				}
				end := e.InV
				if dir == storage.In {
					end = e.OutV
				}
				if end == nil {
					return b, fmt.Errorf("graphio: edge %s has no vertex reference", fmtID(e.ID))
				}
				b = append(b, other...)
				if b, err = AppendValue(b, end.ID); err != nil {
					return b, fmt.Errorf("graphio: edge %s: %w", fmtID(e.ID), err)
				}
				if len(e.Properties) > 0 {
					b = append(b, `,"properties":`...)
					if b, err = appendPropertyMap(b, e.Properties); err != nil {
						return b, fmt.Errorf("graphio: edge %s: %w", fmtID(e.ID), err)
					}
				}
				b = append(b, '}')
			}
			b = append(b, ']')
		}
		b = append(b, '}')
	}
	if len(v.Properties) > 0 {
		b = append(b, `,"properties":{`...)
		var keys []string
		byKey := map[string][]*value.VertexProperty{}
		for _, p := range v.Properties {
			if _, ok := byKey[p.Key]; !ok {
				keys = append(keys, p.Key)
			}
			byKey[p.Key] = append(byKey[p.Key], p)
		}
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ":["...)
			for j, p := range byKey[k] {
				if j > 0 {
					b = append(b, ',')
				}
				b = append(b, '{')
				if p.ID != nil {
					b = append(b, `"id":`...)
					if b, err = AppendValue(b, p.ID); err != nil {
						return b, fmt.Errorf("graphio: vertex %s property %q: %w", fmtID(v.ID), k, err)
					}
					b = append(b, ',')
				}
				b = append(b, `"value":`...)
				if b, err = AppendValue(b, p.Value); err != nil {
					return b, fmt.Errorf("graphio: vertex %s property %q: %w", fmtID(v.ID), k, err)
				}
				if len(p.Properties) > 0 {
					b = append(b, `,"properties":`...)
					if b, err = appendPropertyMap(b, p.Properties); err != nil {
						return b, fmt.Errorf("graphio: vertex %s property %q: %w", fmtID(v.ID), k, err)
					}
				}
				b = append(b, '}')
			}
			b = append(b, ']')
		}
		b = append(b, '}')
	}
	return append(b, '}'), nil
}

func groupEdges(edges []*value.Edge) ([]string, map[string][]*value.Edge) {
	var labels []string
	groups := map[string][]*value.Edge{}
	for _, e := range edges {
		if _, ok := groups[e.Label]; !ok {
			labels = append(labels, e.Label)
		}
		groups[e.Label] = append(groups[e.Label], e)
	}
	return labels, groups
}

func appendPropertyMap(b []byte, props []*value.Property) ([]byte, error) {
	b = append(b, '{')
	for i, p := range props {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, p.Key)
		b = append(b, ':')
		var err error
		if b, err = AppendValue(b, p.Value); err != nil {
			return b, fmt.Errorf("property %q: %w", p.Key, err)
		}
	}
	return append(b, '}'), nil
}

// GraphML export.

type gmlKeyOut struct {
	id, domain, name, typ string
}

type gmlKeySet struct {
	keys  []*gmlKeyOut
	byDNT map[string]*gmlKeyOut // domain|type|name → key
	ids   map[string]bool
}

func (s *gmlKeySet) key(domain, name, typ string) *gmlKeyOut {
	dnt := domain + "|" + typ + "|" + name
	if k := s.byDNT[dnt]; k != nil {
		return k
	}
	id := name
	for n := 0; s.ids[id]; n++ {
		switch n {
		case 0:
			id = name + "_" + domain
		case 1:
			id = name + "_" + domain + "_" + typ
		default:
			id = fmt.Sprintf("%s_%s_%s_%d", name, domain, typ, n)
		}
	}
	k := &gmlKeyOut{id: id, domain: domain, name: name, typ: typ}
	s.ids[id] = true
	s.byDNT[dnt] = k
	s.keys = append(s.keys, k)
	return k
}

// graphMLType returns the attr.type for a property value.
func graphMLType(v any) (string, bool) {
	switch v.(type) {
	case string:
		return gmlString, true
	case bool:
		return gmlBoolean, true
	case int32:
		return gmlInt, true
	case int64:
		return gmlLong, true
	case float32:
		return gmlFloat, true
	case float64:
		return gmlDouble, true
	}
	return "", false
}

func graphMLText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int64:
		return strconv.FormatInt(x, 10)
	case float32:
		return graphMLFloat(float64(x), 32)
	case float64:
		return graphMLFloat(x, 64)
	}
	return fmt.Sprint(v)
}

func graphMLFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return string(appendFloatText(nil, f, bits))
}

// graphMLID renders an element id as a GraphML id.
func graphMLID(id any) (string, error) {
	switch x := id.(type) {
	case string:
		return x, nil
	case int32, int64, int16, int8, int:
		return fmt.Sprint(x), nil
	case uuid.UUID:
		return x.String(), nil
	}
	return "", fmt.Errorf("id %s cannot be written as a GraphML id", fmtID(id))
}

func exportGraphML(ctx context.Context, tx storage.GraphTx, w *bufio.Writer) error {
	keys := &gmlKeySet{byDNT: map[string]*gmlKeyOut{}, ids: map[string]bool{"labelV": true, "labelE": true}}
	// Pass 1: declare keys, and refuse what GraphML cannot hold.
	err := forEachVertex(ctx, tx, func(v *value.Vertex) error {
		seen := map[string]bool{}
		for _, p := range v.Properties {
			if seen[p.Key] {
				return fmt.Errorf("graphio: GraphML export: vertex %s has several values for property %q (a multi-property), which GraphML cannot hold; export as GraphSON", fmtID(v.ID), p.Key)
			}
			seen[p.Key] = true
			if len(p.Properties) > 0 {
				return fmt.Errorf("graphio: GraphML export: vertex %s property %q has meta-properties, which GraphML cannot hold; export as GraphSON", fmtID(v.ID), p.Key)
			}
			typ, ok := graphMLType(p.Value)
			if !ok {
				return fmt.Errorf("graphio: GraphML export: vertex %s property %q is a %T, which GraphML cannot hold (only string, boolean, int32, int64, float32, float64); export as GraphSON", fmtID(v.ID), p.Key, p.Value)
			}
			keys.key("node", p.Key, typ)
		}
		return nil
	})
	if err != nil {
		return err
	}
	vertexKeys := len(keys.keys)
	if err := forEachEdge(ctx, tx, func(e *value.Edge) error {
		for _, p := range e.Properties {
			typ, ok := graphMLType(p.Value)
			if !ok {
				return fmt.Errorf("graphio: GraphML export: edge %s property %q is a %T, which GraphML cannot hold (only string, boolean, int32, int64, float32, float64); export as GraphSON", fmtID(e.ID), p.Key, p.Value)
			}
			keys.key("edge", p.Key, typ)
		}
		return nil
	}); err != nil {
		return err
	}

	// Pass 2: write.
	var b []byte
	b = append(b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
		`<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.1/graphml.xsd">`+"\n"...)
	writeKey := func(k *gmlKeyOut) {
		b = append(b, `<key id="`...)
		b = appendXMLEscaped(b, k.id)
		b = append(b, `" for="`...)
		b = append(b, k.domain...)
		b = append(b, `" attr.name="`...)
		b = appendXMLEscaped(b, k.name)
		b = append(b, `" attr.type="`...)
		b = append(b, k.typ...)
		b = append(b, "\"></key>\n"...)
	}
	writeKey(&gmlKeyOut{id: "labelV", domain: "node", name: "labelV", typ: gmlString})
	for _, k := range keys.keys[:vertexKeys] {
		writeKey(k)
	}
	writeKey(&gmlKeyOut{id: "labelE", domain: "edge", name: "labelE", typ: gmlString})
	for _, k := range keys.keys[vertexKeys:] {
		writeKey(k)
	}
	b = append(b, "<graph id=\"G\" edgedefault=\"directed\">\n"...)
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("graphio: writing export: %w", err)
	}
	writeData := func(keyID, text string) {
		b = append(b, `<data key="`...)
		b = appendXMLEscaped(b, keyID)
		b = append(b, `">`...)
		b = appendXMLEscaped(b, text)
		b = append(b, "</data>"...)
	}
	err = forEachVertex(ctx, tx, func(v *value.Vertex) error {
		id, err := graphMLID(v.ID)
		if err != nil {
			return fmt.Errorf("graphio: GraphML export: vertex: %w", err)
		}
		b = append(b[:0], `<node id="`...)
		b = appendXMLEscaped(b, id)
		b = append(b, `">`...)
		writeData("labelV", v.Label)
		for _, p := range v.Properties {
			typ, _ := graphMLType(p.Value)
			writeData(keys.key("node", p.Key, typ).id, graphMLText(p.Value))
		}
		b = append(b, "</node>\n"...)
		if _, err := w.Write(b); err != nil {
			return fmt.Errorf("graphio: writing export: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = forEachEdge(ctx, tx, func(e *value.Edge) error {
		if e.OutV == nil || e.InV == nil {
			return fmt.Errorf("graphio: edge %s has no vertex reference", fmtID(e.ID))
		}
		id, err := graphMLID(e.ID)
		if err != nil {
			return fmt.Errorf("graphio: GraphML export: edge: %w", err)
		}
		src, err := graphMLID(e.OutV.ID)
		if err != nil {
			return fmt.Errorf("graphio: GraphML export: edge %s: %w", fmtID(e.ID), err)
		}
		dst, err := graphMLID(e.InV.ID)
		if err != nil {
			return fmt.Errorf("graphio: GraphML export: edge %s: %w", fmtID(e.ID), err)
		}
		b = append(b[:0], `<edge id="`...)
		b = appendXMLEscaped(b, id)
		b = append(b, `" source="`...)
		b = appendXMLEscaped(b, src)
		b = append(b, `" target="`...)
		b = appendXMLEscaped(b, dst)
		b = append(b, `">`...)
		writeData("labelE", e.Label)
		for _, p := range e.Properties {
			typ, _ := graphMLType(p.Value)
			writeData(keys.key("edge", p.Key, typ).id, graphMLText(p.Value))
		}
		b = append(b, "</edge>\n"...)
		if _, err := w.Write(b); err != nil {
			return fmt.Errorf("graphio: writing export: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if _, err := w.WriteString("</graph>\n</graphml>\n"); err != nil {
		return fmt.Errorf("graphio: writing export: %w", err)
	}
	return nil
}

func forEachEdge(ctx context.Context, tx storage.GraphTx, fn func(*value.Edge) error) error {
	it := tx.ScanEdges("")
	defer it.Close()
	n := 0
	for {
		e, ok := it.Next()
		if !ok {
			break
		}
		if n++; n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("graphio: scanning edges: %w", err)
	}
	return ctx.Err()
}

type byteWriter struct{ b *[]byte }

func (w byteWriter) Write(p []byte) (int, error) {
	*w.b = append(*w.b, p...)
	return len(p), nil
}

// appendXMLEscaped appends s escaped for XML text and attribute values.
// Characters XML 1.0 cannot hold become U+FFFD.
func appendXMLEscaped(b []byte, s string) []byte {
	_ = xml.EscapeText(byteWriter{&b}, []byte(s))
	return b
}

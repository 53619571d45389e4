package traversal

import (
	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/value"
	"github.com/kvtgraph/kvtgraph/traversal/fn"
)

// fullVertex returns v with its properties loaded.
func (x *exec) fullVertex(v *value.Vertex) *value.Vertex {
	if v.Properties != nil {
		return v
	}
	vs, err := x.tx.Vertices([]any{v.ID})
	if err != nil {
		throw(err)
	}
	if len(vs) == 0 {
		// Removed in this transaction: behave as a vertex without properties.
		return &value.Vertex{ID: v.ID, Label: v.Label, Properties: []*value.VertexProperty{}}
	}
	return vs[0]
}

// fullEdge returns e with its properties loaded.
func (x *exec) fullEdge(e *value.Edge) *value.Edge {
	if e.Properties != nil {
		return e
	}
	es, err := x.tx.Edges([]any{e.ID})
	if err != nil {
		throw(err)
	}
	if len(es) == 0 {
		return &value.Edge{ID: e.ID, Label: e.Label, OutV: e.OutV, InV: e.InV, Properties: []*value.Property{}}
	}
	return es[0]
}

func (x *exec) vertexIter(it storage.VertexIter) valIter {
	return storageIter[*value.Vertex](x, it, x.vertexOK)
}

func (x *exec) edgeIter(it storage.EdgeIter, keep func(*value.Edge) bool) valIter {
	return storageIter[*value.Edge](x, it, func(e *value.Edge) bool {
		return x.edgeOK(e) && (keep == nil || keep(e))
	})
}

// storageIter wraps a storage iterator (VertexIter, EdgeIter) as a
// valIter yielding the elements keep accepts. The iterator is closed once
// it is exhausted or fails (the error is thrown), or when the execution
// closes, whichever comes first.
func storageIter[T any](x *exec, it interface {
	Next() (T, bool)
	Err() error
	Close()
}, keep func(T) bool) valIter {
	closed := false
	x.onClose(func() {
		if !closed {
			closed = true
			it.Close()
		}
	})
	return func() (any, bool) {
		for {
			if closed {
				return nil, false
			}
			el, ok := it.Next()
			if !ok {
				err := it.Err()
				closed = true
				it.Close()
				if err != nil {
					throw(err)
				}
				return nil, false
			}
			x.tick()
			if !keep(el) {
				continue
			}
			return el, true
		}
	}
}

// vertexOK applies read restrictions of SubgraphStrategy and
// PartitionStrategy to a vertex.
func (x *exec) vertexOK(v *value.Vertex) bool {
	if p := x.src.partition; p != nil && x.noFilter == 0 {
		if !inPartition(x.vertexValues(x.fullVertex(v), p.key), p.read) {
			return false
		}
	}
	if sg := x.src.subgraph; sg != nil && sg.vertices != nil && x.noFilter == 0 {
		if !x.strategyTest(sg.vertices, v) {
			return false
		}
	}
	return true
}

func (x *exec) edgeOK(e *value.Edge) bool {
	if p := x.src.partition; p != nil && x.noFilter == 0 {
		fe := x.fullEdge(e)
		var vals []any
		for _, pr := range fe.Properties {
			if pr.Key == p.key {
				vals = append(vals, pr.Value)
			}
		}
		if !inPartition(vals, p.read) {
			return false
		}
	}
	if sg := x.src.subgraph; sg != nil && x.noFilter == 0 {
		if sg.edges != nil && !x.strategyTest(sg.edges, e) {
			return false
		}
		if sg.vertices != nil && sg.checkAdjacent {
			if !x.vertexOK(e.OutV) || !x.vertexOK(e.InV) {
				return false
			}
		}
	}
	return true
}

func (x *exec) vpropOK(vp *value.VertexProperty) bool {
	if p := x.src.partition; p != nil && p.metaProp {
		var vals []any
		for _, m := range vp.Properties {
			if m.Key == p.key {
				vals = append(vals, m.Value)
			}
		}
		if !inPartition(vals, p.read) {
			return false
		}
	}
	if sg := x.src.subgraph; sg != nil && sg.vprops != nil && x.noFilter == 0 {
		if !x.strategyTest(sg.vprops, vp) {
			return false
		}
	}
	return true
}

func (x *exec) strategyTest(p *pipeline, v any) bool {
	x.noFilter++
	defer func() { x.noFilter-- }()
	return x.evalTest(p, &trav{val: v, bulk: 1})
}

func inPartition(vals []any, read []any) bool {
	for _, v := range vals {
		for _, r := range read {
			if fn.Equal(v, r) {
				return true
			}
		}
	}
	return false
}

// vertexValues returns the values of key on a loaded vertex.
func (x *exec) vertexValues(v *value.Vertex, key string) []any {
	var out []any
	for _, vp := range v.Properties {
		if vp.Key == key {
			out = append(out, vp.Value)
		}
	}
	return out
}

// vprops returns the visible vertex properties of v with the given keys.
func (x *exec) vprops(v *value.Vertex, keys []string) []*value.VertexProperty {
	v = x.fullVertex(v)
	var out []*value.VertexProperty
	for _, vp := range v.Properties {
		if len(keys) > 0 && !containsStr(keys, vp.Key) {
			continue
		}
		if x.src.partition != nil && vp.Key == x.src.partition.key {
			continue
		}
		if vp.Vertex == nil {
			c := *vp
			c.Vertex = &value.Vertex{ID: v.ID, Label: v.Label}
			vp = &c
		}
		if !x.vpropOK(vp) {
			continue
		}
		out = append(out, vp)
	}
	return out
}

// eprops returns the properties of e with the given keys.
func (x *exec) eprops(e *value.Edge, keys []string) []*value.Property {
	e = x.fullEdge(e)
	var out []*value.Property
	for _, p := range e.Properties {
		if len(keys) > 0 && !containsStr(keys, p.Key) {
			continue
		}
		if x.src.partition != nil && p.Key == x.src.partition.key {
			continue
		}
		if p.Element == nil {
			c := *p
			c.Element = &value.Edge{ID: e.ID, Label: e.Label, OutV: e.OutV, InV: e.InV}
			p = &c
		}
		out = append(out, p)
	}
	return out
}

func metaProps(vp *value.VertexProperty, keys []string) []*value.Property {
	var out []*value.Property
	for _, p := range vp.Properties {
		if len(keys) > 0 && !containsStr(keys, p.Key) {
			continue
		}
		if p.Element == nil {
			c := *p
			c.Element = vp
			p = &c
		}
		out = append(out, p)
	}
	return out
}

// properties returns the property objects of an element (vertex
// properties for vertices, properties for edges, meta-properties for
// vertex properties); ok is false for non-elements.
func (x *exec) properties(el any, keys []string) ([]any, bool) {
	switch e := el.(type) {
	case *value.Vertex:
		ps := x.vprops(e, keys)
		out := make([]any, len(ps))
		for i, p := range ps {
			out[i] = p
		}
		return out, true
	case *value.Edge:
		ps := x.eprops(e, keys)
		out := make([]any, len(ps))
		for i, p := range ps {
			out[i] = p
		}
		return out, true
	case *value.VertexProperty:
		ps := metaProps(e, keys)
		out := make([]any, len(ps))
		for i, p := range ps {
			out[i] = p
		}
		return out, true
	}
	return nil, false
}

// propValues returns the values of the properties of el with key.
func (x *exec) propValues(el any, key string) []any {
	ps, _ := x.properties(el, []string{key})
	out := make([]any, len(ps))
	for i, p := range ps {
		out[i] = propValue(p)
	}
	return out
}

func propValue(p any) any {
	switch t := p.(type) {
	case *value.VertexProperty:
		return t.Value
	case *value.Property:
		return t.Value
	}
	return nil
}

func containsStr(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func isElement(v any) bool {
	switch v.(type) {
	case *value.Vertex, *value.Edge, *value.VertexProperty:
		return true
	}
	return false
}

func elementID(v any) (any, bool) {
	switch t := v.(type) {
	case *value.Vertex:
		return t.ID, true
	case *value.Edge:
		return t.ID, true
	case *value.VertexProperty:
		return t.ID, true
	}
	return nil, false
}

func elementLabel(v any) (string, bool) {
	switch t := v.(type) {
	case *value.Vertex:
		return t.Label, true
	case *value.Edge:
		return t.Label, true
	case *value.VertexProperty:
		return t.Key, true
	}
	return "", false
}

func dirOf(name string) (storage.Direction, bool) {
	switch name {
	case "OUT", "out":
		return storage.Out, true
	case "IN", "in":
		return storage.In, true
	case "BOTH", "both":
		return storage.Both, true
	}
	return 0, false
}

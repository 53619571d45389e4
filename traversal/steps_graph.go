package traversal

import (
	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// rootStart is the value of the single traverser fed to a root traversal;
// start steps (V, E, inject, addV...) replace it.
type rootStart struct{}

// GremlinType names the placeholder in error messages (fn.TypeName); in
// TinkerPop it is a bare java.lang.Object.
func (rootStart) GremlinType() string { return "Object (the start placeholder of g.union())" }

// String is the placeholder as Java prints an Object, less its hash.
func (rootStart) String() string { return "java.lang.Object" }

func isRoot(t *trav) bool { _, ok := t.val.(rootStart); return ok }

func (r *stepSet) addGraphSteps() {
	r.register("V", func(c *compiler, args []any) (step, error) { return graphStep(c, "V", args, true) })
	r.register("E", func(c *compiler, args []any) (step, error) { return graphStep(c, "E", args, false) })
	for _, d := range []struct {
		name string
		dir  storage.Direction
		edge bool
	}{{"out", storage.Out, false}, {"in", storage.In, false}, {"both", storage.Both, false},
		{"outE", storage.Out, true}, {"inE", storage.In, true}, {"bothE", storage.Both, true}} {
		d := d
		r.register(d.name, func(c *compiler, args []any) (step, error) {
			labels, err := argStrings(d.name, args)
			if err != nil {
				return nil, err
			}
			return &flatMapStep{f: func(x *exec, t *trav) valIter { return x.adjacent(d.name, t.val, d.dir, labels, d.edge) }}, nil
		})
	}
	// to(Direction, labels...) and toE(Direction, labels...) walk like
	// out/in/both and outE/inE/bothE.
	for _, name := range []string{"to", "toE"} {
		name := name
		r.register(name, func(c *compiler, args []any) (step, error) {
			if len(args) == 0 {
				return nil, errorf(name, "expected a Direction")
			}
			dir, ok := directionArg(args[0])
			if !ok {
				return nil, errorf(name, "expected a Direction, got %s", typeName(args[0]))
			}
			labels, err := argStrings(name, args[1:])
			if err != nil {
				return nil, err
			}
			edges := name == "toE"
			return &flatMapStep{f: func(x *exec, t *trav) valIter { return x.adjacent(name, t.val, dir, labels, edges) }}, nil
		})
	}
	for _, d := range []struct {
		name string
		dir  storage.Direction
	}{{"outV", storage.Out}, {"inV", storage.In}, {"bothV", storage.Both}} {
		d := d
		r.register(d.name, func(c *compiler, args []any) (step, error) {
			return &flatMapStep{f: func(x *exec, t *trav) valIter {
				e, ok := t.val.(*value.Edge)
				if !ok {
					throwf(d.name, "expected an Edge but got %s", typeName(t.val))
				}
				var vs []any
				if d.dir != storage.In && x.vertexOK(e.OutV) {
					vs = append(vs, e.OutV)
				}
				if d.dir != storage.Out && x.vertexOK(e.InV) {
					vs = append(vs, e.InV)
				}
				return sliceVals(vs)
			}}, nil
		})
	}
	r.register("otherV", func(c *compiler, args []any) (step, error) {
		c.needFull = true
		return &mapStep{f: func(x *exec, t *trav) (any, bool) {
			e, ok := t.val.(*value.Edge)
			if !ok {
				throwf("otherV", "expected an Edge but got %s", typeName(t.val))
			}
			var prev any
			if t.path != nil && t.path.prev != nil {
				prev = t.path.prev.obj
			}
			if pv, ok := prev.(*value.Vertex); ok && sameID(pv.ID, e.OutV.ID) {
				return e.InV, true
			}
			return e.OutV, true
		}}, nil
	})
}

func graphStep(c *compiler, name string, args []any, vertices bool) (step, error) {
	var ids []any
	for _, a := range args {
		switch t := a.(type) {
		case []any:
			ids = append(ids, t...)
		case *value.Set:
			ids = append(ids, t.Items()...)
		default:
			ids = append(ids, a)
		}
	}
	for i, id := range ids {
		if eid, ok := elementID(id); ok {
			ids[i] = eid
		}
	}
	hasIDs := len(args) > 0
	return &flatMapStep{f: func(x *exec, t *trav) valIter {
		if !hasIDs {
			if vertices {
				return x.vertexIter(x.tx.ScanVertices(""))
			}
			return x.edgeIter(x.tx.ScanEdges(""), nil)
		}
		var real []any
		for _, id := range ids {
			if id != nil {
				real = append(real, id)
			}
		}
		if len(real) == 0 {
			return sliceVals(nil)
		}
		var out []any
		if vertices {
			vs, err := x.tx.Vertices(real)
			if err != nil {
				throw(err)
			}
			for _, v := range vs {
				if x.vertexOK(v) {
					out = append(out, v)
				}
			}
		} else {
			es, err := x.tx.Edges(real)
			if err != nil {
				throw(err)
			}
			for _, e := range es {
				if x.edgeOK(e) {
					out = append(out, e)
				}
			}
		}
		return sliceVals(out)
	}}, nil
}

// adjacent walks from a vertex to its edges or adjacent vertices.
func (x *exec) adjacent(step string, v any, dir storage.Direction, labels []string, edges bool) valIter {
	vx, ok := v.(*value.Vertex)
	if !ok {
		throwf(step, "expected a Vertex but got %s", typeName(v))
	}
	it := x.edgeIter(x.tx.EdgesOf(vx.ID, dir, labels), nil)
	if edges {
		return it
	}
	return func() (any, bool) {
		for {
			e, ok := it()
			if !ok {
				return nil, false
			}
			ed := e.(*value.Edge)
			var other *value.Vertex
			switch dir {
			case storage.Out:
				other = ed.InV
			case storage.In:
				other = ed.OutV
			default:
				if sameID(ed.OutV.ID, vx.ID) && !sameID(ed.InV.ID, vx.ID) {
					other = ed.InV
				} else if sameID(ed.InV.ID, vx.ID) && !sameID(ed.OutV.ID, vx.ID) {
					other = ed.OutV
				} else {
					other = vx // self-loop
				}
			}
			// PartitionStrategy and SubgraphStrategy filter the adjacent
			// vertex too (out() is outE().has(...).inV().has(...)).
			if (x.src.partition != nil || x.src.subgraph != nil && x.src.subgraph.vertices != nil) && !x.vertexOK(other) {
				continue
			}
			return other, true
		}
	}
}

func sameID(a, b any) bool { return value.Key(a) == value.Key(b) }

// directionArg reads a Direction enum (OUT, IN, BOTH and the from_/to_
// aliases).
func directionArg(a any) (storage.Direction, bool) {
	n, ok := enumArg(a, "Direction")
	if !ok {
		return 0, false
	}
	switch n {
	case "OUT", "from_":
		return storage.Out, true
	case "IN", "to_":
		return storage.In, true
	case "BOTH":
		return storage.Both, true
	}
	return 0, false
}

package traversal

import (
	"regexp"

	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/value"
	"github.com/kvtgraph/kvtgraph/traversal/fn"
)

// call(service[, Map][, traversal]).with(key, value): calls a named service
// of the graph's service registry, as TinkerPop's CallStep does. The
// parameters are the static Map, then the Map the traversal gives for the
// traverser, then the with() pairs (whose values may be traversals), later
// ones overriding earlier ones. call() alone is call("--list").
//
// The registry holds the services TinkerGraph registers, which the Gherkin
// suite uses:
//   - "--list": the names of the services (parameter "service" restricts
//     it to that name);
//   - "tinker.search": a start service; the properties of vertices, edges
//     and vertex properties (parameter "type": Vertex, Edge or
//     VertexProperty) whose value, as a String, matches ".*(search).*" or
//     the "regex" parameter;
//   - "tinker.degree.centrality": a mid-traversal service; the number of
//     edges of the incoming vertex in "direction" (IN by default).

const listService = "--list"

// service is one entry of the service registry.
type service struct {
	name string
	// start runs the service at the start of a traversal (nil: it cannot
	// start one).
	start func(x *exec, params *value.Map) []any
	// stream runs the service for one incoming traverser (nil: it cannot be
	// used mid-traversal).
	stream func(x *exec, t *trav, params *value.Map) []any
}

func (r *stepSet) addCallSteps() {
	r.registerService(&service{name: listService, start: listServices, stream: func(x *exec, _ *trav, p *value.Map) []any { return listServices(x, p) }})
	r.registerService(&service{name: "tinker.search", start: textSearch})
	r.registerService(&service{name: "tinker.degree.centrality", stream: degreeCentrality})
	r.register("call", func(c *compiler, args []any) (step, error) {
		s := &callStep{service: listService, static: value.NewMap()}
		if len(args) > 3 {
			return nil, errorf("call", "expected a service name, a Map and a traversal at most, got %d arguments", len(args))
		}
		if len(args) > 0 {
			name, ok := args[0].(string)
			if !ok {
				return nil, errorf("call", "the service name must be a String, got %s", typeName(args[0]))
			}
			s.service = name
		}
		var extra []any
		if len(args) > 1 {
			extra = args[1:]
		}
		for _, a := range extra {
			switch v := a.(type) {
			case nil:
			case *value.Map:
				s.static = v
			case *value.Bytecode:
				p, err := c.child("call", v)
				if err != nil {
					return nil, err
				}
				s.mapTrav = p
			default:
				return nil, errorf("call", "expected a Map or a traversal of parameters, got %s", typeName(a))
			}
		}
		svc, ok := c.steps.services[s.service]
		if !ok {
			return nil, errorf("call", "Unrecognized service: %s", s.service)
		}
		s.svc = svc
		return s, nil
	})
}

type callParam struct {
	key any
	val *argValue
}

type callStep struct {
	stepBase
	service string
	svc     *service
	static  *value.Map
	mapTrav *pipeline
	with    []callParam
}

func (s *callStep) addWith(c *compiler, key string, val any) error {
	av, err := c.argValue("with", val)
	if err != nil {
		return err
	}
	s.with = append(s.with, callParam{key: key, val: av})
	return nil
}

// params merges the static, traversal and with() parameters for t.
func (s *callStep) params(x *exec, t *trav) *value.Map {
	if s.mapTrav == nil && len(s.with) == 0 {
		return s.static
	}
	p := copyMap(s.static)
	if s.mapTrav != nil {
		v, ok := x.evalFirst(s.mapTrav, t)
		if ok && v != nil {
			m, isMap := v.(*value.Map)
			if !isMap {
				throwf("call", "the parameter traversal must produce a Map, got %s", typeName(v))
			}
			for _, e := range m.Entries() {
				p.Put(e.Key, e.Value)
			}
		}
	}
	for _, w := range s.with {
		v, ok := x.argEval("call", w.val, t)
		if !ok {
			throwf("call", "the with(%v) traversal produced no value", w.key)
		}
		p.Put(w.key, v)
	}
	return p
}

func (s *callStep) open(x *exec, in iter) iter {
	svc := s.svc
	f := &flatMapStep{stepBase: s.stepBase, f: func(x *exec, t *trav) valIter {
		params := s.params(x, t)
		if isRoot(t) {
			if svc.start == nil {
				throwf("call", "This service cannot be used to start a traversal: %s", s.service)
			}
			return sliceVals(svc.start(x, params))
		}
		if svc.stream == nil {
			throwf("call", "This service cannot be used mid-traversal: %s", s.service)
		}
		return sliceVals(svc.stream(x, t, params))
	}}
	return f.open(x, in)
}

func listServices(x *exec, params *value.Map) []any {
	only, filtered := params.Get("service")
	var out []any
	for _, n := range x.steps.serviceOrder {
		if n == listService {
			continue
		}
		if filtered && n != only {
			continue
		}
		out = append(out, n)
	}
	return out
}

func textSearch(x *exec, params *value.Map) []any {
	var expr string
	if r, ok := params.Get("regex"); ok {
		s, isStr := r.(string)
		if !isStr {
			throwf("call", "tinker.search: the regex parameter must be a String, got %s", typeName(r))
		}
		expr = s
	} else if q, ok := params.Get("search"); ok {
		s, err := fn.AsString(q)
		if err != nil {
			throw(err)
		}
		expr = ".*(" + s.(string) + ").*"
	} else {
		throwf("call", "tinker.search: Missing search/regex parameter")
	}
	re, err := regexp.Compile("^(?:" + expr + ")$")
	if err != nil {
		throwf("call", "tinker.search: invalid regex %q: %v", expr, err)
	}
	typ := ""
	if v, ok := params.Get("type"); ok && v != nil {
		typ, _ = v.(string)
		switch typ {
		case "Vertex", "Edge", "VertexProperty":
		default:
			throwf("call", "Type must be one of Vertex/Edge/VertexProperty: %s", javaStr(v))
		}
	}
	matches := func(v any) bool {
		s, err := fn.AsString(v)
		if err != nil {
			return false
		}
		str, _ := s.(string)
		return re.MatchString(str)
	}
	var out []any
	scanVertices := func(f func(v *value.Vertex)) {
		it := x.vertexIter(x.tx.ScanVertices(""))
		for v, ok := it(); ok; v, ok = it() {
			f(v.(*value.Vertex))
		}
	}
	if typ == "" || typ == "Vertex" {
		scanVertices(func(v *value.Vertex) {
			for _, vp := range x.vprops(v, nil) {
				if matches(vp.Value) {
					out = append(out, vp)
				}
			}
		})
	}
	if typ == "" || typ == "Edge" {
		it := x.edgeIter(x.tx.ScanEdges(""), nil)
		for e, ok := it(); ok; e, ok = it() {
			for _, p := range x.eprops(e.(*value.Edge), nil) {
				if matches(p.Value) {
					out = append(out, p)
				}
			}
		}
	}
	if typ == "" || typ == "VertexProperty" {
		scanVertices(func(v *value.Vertex) {
			for _, vp := range x.vprops(v, nil) {
				for _, p := range metaProps(vp, nil) {
					if matches(p.Value) {
						out = append(out, p)
					}
				}
			}
		})
	}
	return out
}

func degreeCentrality(x *exec, t *trav, params *value.Map) []any {
	v, ok := t.val.(*value.Vertex)
	if !ok {
		throwf("call", "tinker.degree.centrality expects a Vertex but got %s", typeName(t.val))
	}
	dir := storage.In
	if d, ok := params.Get("direction"); ok && d != nil {
		name, isDir := enumArg(d, "Direction")
		if !isDir {
			throwf("call", "tinker.degree.centrality: the direction parameter must be a Direction, got %s", typeName(d))
		}
		if dir, ok = dirOf(name); !ok {
			throwf("call", "tinker.degree.centrality: unknown direction %s", name)
		}
	}
	n, err := x.tx.Degree(v.ID, dir, nil)
	if err != nil {
		throw(err)
	}
	return []any{int64(n)}
}

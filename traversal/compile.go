package traversal

import (
	"fmt"
	"strings"

	"github.com/kvtgraph/kvtgraph/storage/value"
	"github.com/kvtgraph/kvtgraph/traversal/fn"
)

type seInit struct {
	key     string
	val     any
	reducer string
}

// sourceConfig is what the source instructions (withX) configure.
type sourceConfig struct {
	pathMode     int
	sideEffects  []seInit
	hasSack      bool
	sackInit     any
	sackMerge    string
	seed         *int64
	readOnly     bool
	productiveBy bool
	partition    *partitionCfg
	subgraph     *subgraphCfg
	options      *value.Map
	noBulk       bool
	without      map[string]bool
	// matchAlgorithm is MatchAlgorithmStrategy's choice for match():
	// "greedy" or "" (CountMatchAlgorithm).
	matchAlgorithm string
	// strategies are the withStrategies() in effect (simple class name to
	// configuration), less those withoutStrategies() removed.
	strategies map[string]*value.Map
}

type partitionCfg struct {
	key      string
	write    string
	read     []any
	metaProp bool
}

type subgraphCfg struct {
	vertices, edges, vprops *pipeline
	checkAdjacent           bool
}

// compiler holds state while compiling one root bytecode.
type compiler struct {
	steps      *stepSet // the Engine's steps and services
	nextID     int
	mutating   bool
	needFull   bool
	needLabels bool
	src        *sourceConfig
	// profiles and instr serve profile() (profile.go).
	profiles []*profileStep
	instr    map[int]instrRec
	// meta, sink and pathReq serve PathRetractionStrategy
	// (strategies_retract.go): the child traversals of each step, where
	// c.pipeline registers the pipelines it compiles, and whether a step
	// needs whole paths.
	meta    map[step]*stepMeta
	sink    *[]*pipeline
	pathReq bool
}

func compileRoot(eng *Engine, bc *value.Bytecode) (t *Traversal, err error) {
	defer func() {
		if p := recover(); p != nil {
			if tp, ok := p.(travPanic); ok {
				err = tp.err
				return
			}
			err = fmt.Errorf("traversal: cannot compile bytecode: %v", p)
		}
	}()
	if bc == nil {
		return nil, errorf("", "no bytecode")
	}
	c := &compiler{steps: eng.steps, src: &sourceConfig{}}
	if err := c.sources(bc.Sources); err != nil {
		return nil, err
	}
	if err := c.verifySource(); err != nil {
		return nil, err
	}
	root, err := c.pipeline(bc, true)
	if err != nil {
		return nil, err
	}
	if c.src.readOnly && c.mutating {
		return nil, &Error{Step: "", Msg: "The provided traversal has a mutating step and thus is not read only: " + describe(bc)}
	}
	switch {
	case c.needFull:
		c.src.pathMode = pathFull
	case c.needLabels:
		c.src.pathMode = pathLabeled
	}
	prof, err := c.checkProfile(root)
	if err != nil {
		return nil, err
	}
	retraction := c.retractPaths(root)
	return &Traversal{eng: eng, root: root, src: c.src, mutating: c.mutating, prof: prof, retraction: retraction}, nil
}

// describe renders bytecode briefly for error messages.
func describe(bc *value.Bytecode) string {
	var b strings.Builder
	b.WriteString("[")
	for i, in := range bc.Steps {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(in.Operator)
		b.WriteString("Step")
	}
	b.WriteString("]")
	return b.String()
}

func unbind(v any) any {
	if b, ok := v.(value.Binding); ok {
		return b.Value
	}
	if b, ok := v.(*value.Binding); ok && b != nil {
		return b.Value
	}
	return v
}

func (c *compiler) sources(ins []value.Instruction) error {
	for _, in := range ins {
		args := make([]any, len(in.Args))
		for i, a := range in.Args {
			args[i] = unbind(a)
			if _, ok := args[i].(*value.Lambda); ok {
				return ErrLambda
			}
		}
		switch in.Operator {
		case "withSideEffect":
			if len(args) < 2 {
				return errorf("withSideEffect", "expected a key and an initial value")
			}
			k, ok := args[0].(string)
			if !ok {
				return errorf("withSideEffect", "the key must be a String, got %s", typeName(args[0]))
			}
			se := seInit{key: k, val: args[1]}
			if len(args) > 2 {
				if e, ok := args[2].(value.Enum); ok {
					se.reducer = e.Name
				}
			}
			c.src.sideEffects = append(c.src.sideEffects, se)
		case "withSack":
			if len(args) < 1 {
				return errorf("withSack", "expected an initial value")
			}
			c.src.hasSack = true
			c.src.sackInit = args[0]
			for _, a := range args[1:] {
				if e, ok := a.(value.Enum); ok {
					c.src.sackMerge = e.Name
				}
			}
		case "withBulk":
			if len(args) == 1 {
				if b, ok := args[0].(bool); ok && !b {
					c.src.noBulk = true
				}
			}
		case "withPath":
			c.needFull = true
		case "withStrategies":
			for _, a := range args {
				s, ok := a.(value.Strategy)
				if !ok {
					if sp, ok2 := a.(*value.Strategy); ok2 && sp != nil {
						s, ok = *sp, true
					}
				}
				if !ok {
					return errorf("withStrategies", "expected a TraversalStrategy, got %s", typeName(a))
				}
				if err := c.strategy(s); err != nil {
					return err
				}
			}
		case "withoutStrategies":
			if c.src.without == nil {
				c.src.without = map[string]bool{}
			}
			for _, a := range args {
				name := strategyName(a)
				c.src.without[name] = true
				delete(c.src.strategies, name)
			}
		case "with":
			if c.src.options == nil {
				c.src.options = value.NewMap()
			}
			if len(args) == 1 {
				c.src.options.Put(args[0], true)
			} else if len(args) >= 2 {
				c.src.options.Put(args[0], args[1])
			}
		case "withComputer":
			return errorf("withComputer", "graph computer traversals are not supported")
		default:
			return errorf(in.Operator, "unknown source instruction")
		}
	}
	return nil
}

func (c *compiler) strategy(s value.Strategy) error {
	name := s.Class
	if i := strings.LastIndex(name, "."); i >= 0 {
		name = name[i+1:]
	}
	if c.src.strategies == nil {
		c.src.strategies = map[string]*value.Map{}
	}
	c.src.strategies[name] = s.Config
	get := func(k string) (any, bool) {
		if s.Config == nil {
			return nil, false
		}
		v, ok := s.Config.Get(k)
		return unbind(v), ok
	}
	switch name {
	case "ReadOnlyStrategy":
		c.src.readOnly = true
	case "ProductiveByStrategy":
		c.src.productiveBy = true
	case "MatchAlgorithmStrategy":
		c.src.matchAlgorithm = ""
		if v, ok := get("matchAlgorithm"); ok && strings.Contains(fmt.Sprint(v), "Greedy") {
			c.src.matchAlgorithm = "greedy"
		}
	case "SeedStrategy":
		v, _ := get("seed")
		n, ok := toInt64(v)
		if !ok {
			return errorf("SeedStrategy", "the seed must be a number, got %s", typeName(v))
		}
		c.src.seed = &n
	case "OptionsStrategy":
		if c.src.options == nil {
			c.src.options = value.NewMap()
		}
		if s.Config != nil {
			for _, e := range s.Config.Entries() {
				c.src.options.Put(e.Key, e.Value)
			}
		}
	case "PartitionStrategy":
		p := &partitionCfg{}
		if v, ok := get("partitionKey"); ok {
			p.key, _ = v.(string)
		}
		if p.key == "" {
			return errorf("PartitionStrategy", "the partitionKey cannot be null")
		}
		if v, ok := get("writePartition"); ok {
			p.write, _ = v.(string)
		}
		if v, ok := get("readPartitions"); ok {
			p.read = collectionItems(v)
		}
		if v, ok := get("includeMetaProperties"); ok {
			p.metaProp, _ = v.(bool)
		}
		c.src.partition = p
	case "SubgraphStrategy":
		sg := &subgraphCfg{checkAdjacent: true}
		for _, k := range []string{"vertices", "edges", "vertexProperties"} {
			v, ok := get(k)
			if !ok || v == nil {
				continue
			}
			bc, ok := v.(*value.Bytecode)
			if !ok {
				return errorf("SubgraphStrategy", "%s must be a traversal, got %s", k, typeName(v))
			}
			p, err := c.pipeline(bc, false)
			if err != nil {
				return err
			}
			switch k {
			case "vertices":
				sg.vertices = p
			case "edges":
				sg.edges = p
			default:
				sg.vprops = p
			}
		}
		if v, ok := get("checkAdjacentVertices"); ok {
			if b, ok := v.(bool); ok {
				sg.checkAdjacent = b
			}
		}
		c.src.subgraph = sg
	default:
		// Optimisation, finalization and verification strategies have no
		// observable effect here; accept them.
	}
	return nil
}

// collectionItems returns the members of a list/set, or the value itself.
func collectionItems(v any) []any {
	switch t := v.(type) {
	case nil:
		return nil
	case []any:
		return t
	case *value.Set:
		return t.Items()
	case *bulkSet:
		return t.list()
	case *value.BulkSet:
		var out []any
		for _, it := range t.Items {
			for i := int64(0); i < it.Bulk; i++ {
				out = append(out, it.Value)
			}
		}
		return out
	}
	return []any{v}
}

// ---------------------------------------------------------------------------

// Modulator interfaces implemented by steps that accept them.
type byAccepter interface {
	addBy(c *compiler, args []any) error
}
type optionAccepter interface {
	addOption(c *compiler, args []any) error
}
type withAccepter interface {
	addWith(c *compiler, key string, val any) error
}
type fromToAccepter interface {
	addFromTo(c *compiler, from bool, arg any) error
}

// pipeline compiles the steps of bc. Source instructions of nested
// bytecode are ignored.
func (c *compiler) pipeline(bc *value.Bytecode, root bool) (*pipeline, error) {
	p := &pipeline{}
	last := func() step {
		if len(p.steps) == 0 {
			return nil
		}
		return p.steps[len(p.steps)-1]
	}
	// Child traversals compiled for an instruction belong to the step it
	// creates or modulates (owner); jk is how many children TinkerPop's
	// step gains from it (-1: one per compiled child).
	if c.sink != nil {
		*c.sink = append(*c.sink, p)
	}
	outer := c.sink
	defer func() { c.sink = outer }()
	var pending []*pipeline
	var owner step
	jk := -1
	flush := func() {
		if owner != nil {
			c.adopt(owner, pending, jk)
		}
		pending, owner, jk = nil, nil, -1
	}
	for _, in := range bc.Steps {
		flush()
		c.sink = &pending
		args := make([]any, len(in.Args))
		for i, a := range in.Args {
			args[i] = unbind(a)
			if _, ok := args[i].(*value.Lambda); ok {
				return nil, ErrLambda
			}
		}
		op := in.Operator
		switch op {
		case "as":
			if len(args) == 0 {
				return nil, errorf("as", "expected at least one label")
			}
			s := last()
			if s == nil {
				s = c.identity()
				p.steps = append(p.steps, s)
			}
			for _, a := range args {
				l, ok := a.(string)
				if !ok {
					return nil, errorf("as", "labels must be Strings, got %s", typeName(a))
				}
				s.base().labels = append(s.base().labels, l)
			}
			c.needLabels = true
			continue
		case "by":
			s, ok := last().(byAccepter)
			if !ok {
				return nil, errorf("by", "the %s step does not accept by() modulation", stepName(last()))
			}
			if err := s.addBy(c, args); err != nil {
				return nil, err
			}
			owner, jk = last(), 1
			c.stepMeta(owner).bys++
			continue
		case "option":
			s, ok := last().(optionAccepter)
			if !ok {
				return nil, errorf("option", "the %s step does not accept option() modulation", stepName(last()))
			}
			if err := s.addOption(c, args); err != nil {
				return nil, err
			}
			owner, jk = last(), 1
			continue
		case "with":
			if len(args) == 0 {
				return nil, errorf("with", "expected a key")
			}
			key, ok := args[0].(string)
			if !ok {
				return nil, errorf("with", "the key must be a String, got %s", typeName(args[0]))
			}
			var val any = true
			if len(args) > 1 {
				val = args[1]
			}
			if s, ok := last().(withAccepter); ok {
				if err := s.addWith(c, key, val); err != nil {
					return nil, err
				}
			}
			continue
		case "from", "to":
			if op == "to" && len(args) > 0 {
				if _, ok := enumArg(args[0], "Direction"); ok {
					break // to(Direction, labels...) is the vertex step
				}
			}
			if len(args) != 1 {
				return nil, errorf(op, "expected one argument")
			}
			s, ok := last().(fromToAccepter)
			if !ok {
				return nil, errorf(op, "the %s step does not accept %s() modulation", stepName(last()), op)
			}
			if err := s.addFromTo(c, op == "from", args[0]); err != nil {
				return nil, err
			}
			owner, jk = last(), 1
			continue
		case "emit", "until", "times", "repeat":
			if err := c.repeatPart(p, op, args); err != nil {
				return nil, err
			}
			owner, jk = last(), 1
			continue
		case "read", "write":
			s, ok := last().(*ioStep)
			if !ok {
				return nil, errorf(op, "%s() must follow io()", op)
			}
			if err := s.setMode(op); err != nil {
				return nil, err
			}
			continue
		}
		if err := c.verifyStep(p.steps, op, args); err != nil {
			return nil, err
		}
		if op == "property" {
			folded, err := c.foldProperty(p.steps, args)
			if err != nil {
				return nil, err
			}
			if folded {
				owner = foldTarget(p.steps)
				continue
			}
		}
		ctor, ok := c.steps.ctors[op]
		if !ok {
			return nil, errorf(op, "unknown or unsupported step")
		}
		s, err := ctor(c, args)
		if err != nil {
			return nil, err
		}
		c.nextID++
		s.base().id = c.nextID
		c.recordInstr(s, op, args)
		if s.base().name == "" {
			s.base().name = op
		}
		if is, ok := s.(*injectStep); ok && !root && len(p.steps) == 0 {
			is.startsFirst = true
		}
		p.steps = append(p.steps, s)
		owner = s
		c.stepMeta(s).jkids += lambdaChildren(op, args)
	}
	flush()
	c.sink = outer
	start := 0
	if root && len(bc.Steps) > 0 && c.steps.starts[bc.Steps[0].Operator] {
		start = 1
	}
	if len(p.steps) < start {
		start = len(p.steps)
	}
	p.steps = c.restructure(p.steps, start)
	c.fuseOrderLimit(p.steps)
	if root {
		c.fuseLightScan(p.steps)
	}
	return p, nil
}

func stepName(s step) string {
	if s == nil {
		return "start"
	}
	return s.base().name
}

func (c *compiler) identity() step {
	c.nextID++
	return &filterStep{stepBase: stepBase{name: "identity", id: c.nextID}, f: func(*exec, *trav) bool { return true }}
}

// child compiles an anonymous traversal argument.
func (c *compiler) child(step string, a any) (*pipeline, error) {
	bc, ok := a.(*value.Bytecode)
	if !ok {
		return nil, errorf(step, "expected a traversal argument, got %s", typeName(a))
	}
	return c.pipeline(bc, false)
}

func isTraversal(a any) bool { _, ok := a.(*value.Bytecode); return ok }

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "String"
	case int32:
		return "Integer"
	case int64:
		return "Long"
	case float64:
		return "Double"
	case float32:
		return "Float"
	case bool:
		return "Boolean"
	case *value.Bytecode:
		return "Traversal"
	case *value.P:
		return "P"
	case value.Enum:
		return v.(value.Enum).Type
	case []any:
		return "List"
	case *value.Map:
		return "Map"
	case *value.Vertex:
		return "Vertex"
	case *value.Edge:
		return "Edge"
	}
	return fn.TypeName(v)
}

func argString(step string, args []any, i int) (string, error) {
	if i >= len(args) {
		return "", errorf(step, "missing argument %d", i+1)
	}
	s, ok := args[i].(string)
	if !ok {
		return "", errorf(step, "argument %d must be a String, got %s", i+1, typeName(args[i]))
	}
	return s, nil
}

func argStrings(step string, args []any) ([]string, error) {
	out := make([]string, 0, len(args))
	for i, a := range args {
		if a == nil {
			continue
		}
		if l, ok := a.([]any); ok {
			for _, x := range l {
				s, ok := x.(string)
				if !ok {
					return nil, errorf(step, "argument %d must be Strings, got %s", i+1, typeName(x))
				}
				out = append(out, s)
			}
			continue
		}
		s, ok := a.(string)
		if !ok {
			return nil, errorf(step, "argument %d must be a String, got %s", i+1, typeName(a))
		}
		out = append(out, s)
	}
	return out, nil
}

func enumArg(a any, typ string) (string, bool) {
	e, ok := a.(value.Enum)
	if !ok || (typ != "" && e.Type != typ) {
		return "", false
	}
	return e.Name, true
}

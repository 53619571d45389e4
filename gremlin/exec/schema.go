package exec

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/kvtgraph/kvtgraph/gremlin/server"
	"github.com/kvtgraph/kvtgraph/index"
	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// Scripts declare schema through a "schema" binding with HugeGraph's
// builder syntax:
//
//	schema.propertyKey('age').asInt().valueSingle().ifNotExist().create()
//	schema.vertexLabel('person').properties('name','age').ifNotExist().create()
//	schema.edgeLabel('knows').sourceLabel('person').targetLabel('person').properties('weight').create()
//	schema.indexLabel('personByAge').onV('person').by('age').range().create()
//	schema.getIndexLabels()   (getPropertyKeys, getVertexLabels, getEdgeLabels, getIndexLabel('x')...)
//	schema.indexLabel('personByAge').remove()
//	schema.propertyKey('x').remove()   (vertexLabel('x'), edgeLabel('x'): refused
//	                                    while an index, a label or elements use it)
//
// A script made only of such statements (separated by ';' or new lines)
// is evaluated here, against the graph of the request's "g" (or the only
// graph); any other script goes to the Gremlin parser.

// schemaStore is what the builder needs from a graph (*storage.Graph).
type schemaStore interface {
	DefinePropertyKey(ctx context.Context, def storage.PropertyKeyDef) error
	DefineVertexLabel(ctx context.Context, def storage.LabelDef) error
	DefineEdgeLabel(ctx context.Context, def storage.LabelDef) error
	CreateIndex(ctx context.Context, def storage.IndexDef) error
	DropIndex(ctx context.Context, name string) error
	Schema() storage.Schema
}

type schemaCall struct {
	name string
	args []any
}

// parseSchemaScript splits a script into schema chains. ok is false when
// the script is not made only of schema statements.
func parseSchemaScript(script string) (chains [][]schemaCall, ok bool, err error) {
	p := &schemaParser{s: script}
	for {
		p.skipSpace(true)
		if p.i >= len(p.s) {
			break
		}
		if !p.word("schema") {
			return nil, false, nil
		}
		var chain []schemaCall
		for {
			p.skipSpace(false)
			if p.i >= len(p.s) || p.s[p.i] != '.' {
				break
			}
			p.i++
			p.skipSpace(false)
			name := p.ident()
			if name == "" {
				return nil, true, p.fail("expected a method name after '.'")
			}
			p.skipSpace(false)
			if p.i >= len(p.s) || p.s[p.i] != '(' {
				return nil, true, p.fail(fmt.Sprintf("expected '(' after %s", name))
			}
			p.i++
			args, err := p.args()
			if err != nil {
				return nil, true, err
			}
			chain = append(chain, schemaCall{name, args})
		}
		if len(chain) == 0 {
			return nil, false, nil
		}
		chains = append(chains, chain)
		p.skipSpace(false)
		if p.i < len(p.s) {
			switch p.s[p.i] {
			case ';', '\n', '\r':
				p.i++
			default:
				return nil, true, p.fail("unexpected text after a schema statement")
			}
		}
	}
	return chains, len(chains) > 0, nil
}

type schemaParser struct {
	s string
	i int
}

func (p *schemaParser) fail(msg string) error {
	line, col := 1, 1
	for _, r := range p.s[:min(p.i, len(p.s))] {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Errorf("%w: schema: line %d, column %d: %s", server.ErrEvaluation, line, col, msg)
}

func (p *schemaParser) skipSpace(newlines bool) {
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == ' ' || c == '\t' || (newlines && (c == '\n' || c == '\r' || c == ';')):
			p.i++
		case c == '\n' || c == '\r':
			// A chain may continue on the next line when it starts with '.'.
			j := p.i
			for j < len(p.s) && strings.ContainsRune(" \t\r\n", rune(p.s[j])) {
				j++
			}
			if j < len(p.s) && p.s[j] == '.' {
				p.i = j
				continue
			}
			return
		case strings.HasPrefix(p.s[p.i:], "//"):
			for p.i < len(p.s) && p.s[p.i] != '\n' {
				p.i++
			}
		default:
			return
		}
	}
}

func (p *schemaParser) word(w string) bool {
	if strings.HasPrefix(p.s[p.i:], w) {
		end := p.i + len(w)
		if end == len(p.s) || !isIdentRune(rune(p.s[end])) {
			p.i = end
			return true
		}
	}
	return false
}

func isIdentRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

func (p *schemaParser) ident() string {
	start := p.i
	for p.i < len(p.s) && isIdentRune(rune(p.s[p.i])) {
		p.i++
	}
	return p.s[start:p.i]
}

func (p *schemaParser) args() ([]any, error) {
	var out []any
	for {
		p.skipSpace(true)
		if p.i >= len(p.s) {
			return nil, p.fail("unclosed '('")
		}
		if p.s[p.i] == ')' {
			p.i++
			return out, nil
		}
		if len(out) > 0 {
			if p.s[p.i] != ',' {
				return nil, p.fail("expected ',' or ')'")
			}
			p.i++
			p.skipSpace(true)
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
}

func (p *schemaParser) value() (any, error) {
	if p.i >= len(p.s) {
		return nil, p.fail("expected an argument")
	}
	c := p.s[p.i]
	switch {
	case c == '\'' || c == '"':
		p.i++
		var b strings.Builder
		for p.i < len(p.s) && p.s[p.i] != c {
			if p.s[p.i] == '\\' && p.i+1 < len(p.s) {
				p.i++
			}
			b.WriteByte(p.s[p.i])
			p.i++
		}
		if p.i >= len(p.s) {
			return nil, p.fail("unterminated string")
		}
		p.i++
		return b.String(), nil
	case c == '-' || (c >= '0' && c <= '9'):
		start := p.i
		p.i++
		for p.i < len(p.s) && (p.s[p.i] >= '0' && p.s[p.i] <= '9') {
			p.i++
		}
		n, err := strconv.ParseInt(p.s[start:p.i], 10, 64)
		if err != nil {
			return nil, p.fail("bad number " + p.s[start:p.i])
		}
		if p.i < len(p.s) && strings.ContainsRune("lLiI", rune(p.s[p.i])) {
			p.i++
		}
		return n, nil
	}
	id := p.ident()
	switch id {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "":
		return nil, p.fail("expected a string, a number or a name")
	}
	// Enum-like names (T.id, Cardinality.single): keep the last part.
	for p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		id = p.ident()
	}
	return id, nil
}

// evalSchemaScript runs a schema-only script. handled is false when the
// script is not one.
func (st *state) evalSchemaScript(ctx context.Context, script string, aliases map[string]string) (out *outcome, handled bool, err error) {
	if !strings.Contains(script, "schema") {
		return nil, false, nil
	}
	chains, ok, err := parseSchemaScript(script)
	if !ok {
		return nil, false, nil
	}
	if err != nil {
		return nil, true, err
	}
	graph, err := st.schemaGraph(aliases)
	if err != nil {
		return nil, true, err
	}
	ss, isSchema := st.exec.graphs[graph].(schemaStore)
	if !isSchema {
		return nil, true, fmt.Errorf("%w: graph %q does not support schema declarations", server.ErrEvaluation, graph)
	}
	var last any
	for i, chain := range chains {
		v, err := st.evalSchemaChain(ctx, graph, ss, chain)
		if err != nil {
			if len(chains) > 1 {
				return nil, true, fmt.Errorf("statement %d: %w", i+1, err)
			}
			return nil, true, err
		}
		last = v
	}
	return valueOutcome(last), true, nil
}

// schemaGraph is the graph a script's schema binding stands for: the
// graph behind the "g" source (as aliased), else the only graph.
func (st *state) schemaGraph(aliases map[string]string) (string, error) {
	src := "g"
	if a, ok := aliases["g"]; ok {
		src = a
	}
	if g, ok := st.exec.sources[src]; ok {
		return g, nil
	}
	if _, ok := st.exec.graphs[src]; ok {
		return src, nil
	}
	if len(st.exec.graphs) == 1 {
		for g := range st.exec.graphs {
			return g, nil
		}
	}
	return "", fmt.Errorf("%w: schema: no traversal source \"g\" to choose the graph (alias g to a source)", server.ErrEvaluation)
}

var dataTypes = map[string]storage.DataType{
	"asText": storage.TypeString, "asInt": storage.TypeInt, "asLong": storage.TypeLong, "asDouble": storage.TypeDouble,
	"asFloat": storage.TypeFloat, "asDate": storage.TypeDate, "asBoolean": storage.TypeBoolean, "asUUID": storage.TypeUUID,
	"asByte": storage.TypeByte, "asBlob": storage.TypeBytes,
}

var cardinalities = map[string]storage.Cardinality{"valueSingle": storage.Single, "valueList": storage.List, "valueSet": storage.Set}

var indexKinds = map[string]index.Kind{"secondary": index.Exact, "range": index.Range, "search": index.Text,
	"unique": index.Unique, "shard": index.Range}

// ignoredModifiers are HugeGraph options that have no counterpart here.
var ignoredModifiers = map[string]bool{"primaryKeys": true, "nullableKeys": true, "useAutomaticId": true,
	"usePrimaryKeyId": true, "useCustomizeStringId": true, "useCustomizeNumberId": true, "useCustomizeUuidId": true,
	"enableLabelIndex": true, "ttl": true, "ttlStartTime": true, "userdata": true, "multiTimes": true,
	"singleTime": true, "frequency": true, "checkExist": true, "calcSum": true, "calcMax": true, "calcMin": true,
	"calcOld": true, "calcSet": true, "calcList": true}

func (st *state) evalSchemaChain(ctx context.Context, graph string, ss schemaStore, chain []schemaCall) (any, error) {
	first := chain[0]
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%w: schema.%s: %s", server.ErrEvaluation, first.name, fmt.Sprintf(format, args...))
	}
	nameArg := func(c schemaCall) (string, error) {
		if len(c.args) != 1 {
			return "", fail("%s() takes one name", c.name)
		}
		s, ok := c.args[0].(string)
		if !ok || s == "" {
			return "", fail("%s() takes a non-empty String name, got %v", c.name, c.args[0])
		}
		return s, nil
	}
	strArgs := func(c schemaCall) ([]string, error) {
		out := make([]string, 0, len(c.args))
		for _, a := range c.args {
			s, ok := a.(string)
			if !ok {
				return nil, fail("%s() takes Strings, got %v", c.name, a)
			}
			out = append(out, s)
		}
		return out, nil
	}
	schema := ss.Schema()
	switch first.name {
	case "getPropertyKeys", "getVertexLabels", "getEdgeLabels", "getIndexLabels":
		if len(chain) != 1 || len(first.args) != 0 {
			return nil, fail("takes no arguments and no further calls")
		}
		return schemaList(schema, first.name), nil
	case "getPropertyKey", "getVertexLabel", "getEdgeLabel", "getIndexLabel":
		name, err := nameArg(first)
		if err != nil {
			return nil, err
		}
		for _, m := range schemaList(schema, first.name+"s") {
			if mm := m.(*value.Map); mapName(mm) == name {
				return mm, nil
			}
		}
		return nil, fail("no %s named %q", kindWord(first.name), name)
	case "propertyKey", "vertexLabel", "edgeLabel", "indexLabel":
	default:
		return nil, fail("unknown schema method (expected propertyKey, vertexLabel, edgeLabel, indexLabel or getPropertyKeys, getVertexLabels, getEdgeLabels, getIndexLabels)")
	}
	name, err := nameArg(first)
	if err != nil {
		return nil, err
	}
	var (
		ifNotExist bool
		action     string
		dtype      = storage.TypeAny
		card       = storage.Single
		props      []string
		keys       []string
		elem       storage.ElementKind
		label      string
		kind       index.Kind
	)
	for _, c := range chain[1:] {
		if action != "" {
			return nil, fail("%s() must be the last call, found %s() after it", action, c.name)
		}
		switch {
		case c.name == "create" || c.name == "remove" || c.name == "append" || c.name == "eliminate" || c.name == "rebuild":
			action = c.name
		case c.name == "ifNotExist":
			ifNotExist = true
		case dataTypes[c.name] != 0 || c.name == "asText":
			if first.name != "propertyKey" {
				return nil, fail("%s() applies to property keys", c.name)
			}
			dtype = dataTypes[c.name]
		case c.name == "dataType":
			return nil, fail("use asText(), asInt(), asLong(), asDouble(), asDate(), asBoolean() or asUUID()")
		case c.name == "valueSingle" || c.name == "valueList" || c.name == "valueSet":
			card = cardinalities[c.name]
		case c.name == "properties":
			if props, err = strArgs(c); err != nil {
				return nil, err
			}
		case c.name == "sourceLabel" || c.name == "targetLabel" || c.name == "link":
			if first.name != "edgeLabel" {
				return nil, fail("%s() applies to edge labels", c.name)
			}
		case c.name == "onV" || c.name == "onE":
			if label, err = nameArg(c); err != nil {
				return nil, err
			}
			elem = storage.VertexElement
			if c.name == "onE" {
				elem = storage.EdgeElement
			}
		case c.name == "by" || c.name == "fields":
			if keys, err = strArgs(c); err != nil {
				return nil, err
			}
		case indexKinds[c.name] != 0:
			if kind != 0 {
				return nil, fail("an index has one kind; %s() after another kind", c.name)
			}
			kind = indexKinds[c.name]
		case ignoredModifiers[c.name]:
		default:
			return nil, fail("unknown builder method %s()", c.name)
		}
	}
	switch action {
	case "":
		return nil, fail("nothing to do: end the statement with create() or remove()")
	case "append", "eliminate":
		return nil, fail("%s() is not supported: schema elements are created and removed whole", action)
	}
	exists := schemaList(schema, "get"+strings.ToUpper(first.name[:1])+first.name[1:]+"s")
	var existing *value.Map
	for _, m := range exists {
		if mm := m.(*value.Map); mapName(mm) == name {
			existing = mm
		}
	}
	if action == "remove" {
		if existing == nil {
			return nil, fail("no %s named %q", kindWord(first.name), name)
		}
		if first.name != "indexLabel" {
			return st.removeSchema(ctx, graph, ss, first.name, name)
		}
		if err := ss.DropIndex(ctx, name); err != nil {
			return nil, err
		}
		st.exec.log.Info("index removed", "graph", graph, "index", name)
		return nil, nil
	}
	if action == "rebuild" {
		if first.name != "indexLabel" || existing == nil {
			return nil, fail("rebuild() applies to an existing index label")
		}
		def := indexDefOf(schema, name)
		if err := ss.DropIndex(ctx, name); err != nil {
			return nil, err
		}
		return st.createIndex(ctx, graph, ss, def, name)
	}
	if existing != nil {
		if ifNotExist {
			return existing, nil
		}
		return nil, fail("a %s named %q already exists (use ifNotExist())", kindWord(first.name), name)
	}
	switch first.name {
	case "propertyKey":
		if dtype == storage.TypeAny {
			dtype = storage.TypeString // HugeGraph's default data type is text
		}
		if err := ss.DefinePropertyKey(ctx, storage.PropertyKeyDef{Name: name, Type: dtype, Cardinality: card}); err != nil {
			return nil, err
		}
	case "vertexLabel":
		if err := ss.DefineVertexLabel(ctx, storage.LabelDef{Name: name, Properties: props}); err != nil {
			return nil, err
		}
	case "edgeLabel":
		if err := ss.DefineEdgeLabel(ctx, storage.LabelDef{Name: name, Properties: props}); err != nil {
			return nil, err
		}
	case "indexLabel":
		if elem == 0 {
			return nil, fail("an index label needs onV(label) or onE(label)")
		}
		if len(keys) == 0 {
			return nil, fail("an index label needs by(key, ...)")
		}
		if kind == 0 {
			kind = index.Exact
		}
		return st.createIndex(ctx, graph, ss, storage.IndexDef{Name: name, Kind: kind, Element: elem, Label: label, Keys: keys}, name)
	}
	for _, m := range schemaList(ss.Schema(), "get"+strings.ToUpper(first.name[:1])+first.name[1:]+"s") {
		if mm := m.(*value.Map); mapName(mm) == name {
			return mm, nil
		}
	}
	return name, nil
}

// schemaRemover is what removing property keys and labels needs from a
// graph (*storage.Graph).
type schemaRemover interface {
	RemovePropertyKey(ctx context.Context, name string) error
	RemoveVertexLabel(ctx context.Context, name string) error
	RemoveEdgeLabel(ctx context.Context, name string) error
}

// removeSchema removes a property key, vertex label or edge label
// declaration; storage refuses while an index, a label or elements still
// use it, and says which.
func (st *state) removeSchema(ctx context.Context, graph string, ss schemaStore, method, name string) (any, error) {
	rm, ok := ss.(schemaRemover)
	if !ok {
		return nil, fmt.Errorf("%w: schema.%s(%q).remove(): graph %q cannot remove schema elements", server.ErrEvaluation, method, name, graph)
	}
	var err error
	switch method {
	case "propertyKey":
		err = rm.RemovePropertyKey(ctx, name)
	case "vertexLabel":
		err = rm.RemoveVertexLabel(ctx, name)
	case "edgeLabel":
		err = rm.RemoveEdgeLabel(ctx, name)
	default:
		err = fmt.Errorf("unknown schema element %s", method)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: schema.%s(%q).remove(): %w", server.ErrEvaluation, method, name, err)
	}
	st.exec.log.Info("schema element removed", "graph", graph, "kind", kindWord(method), "name", name)
	return nil, nil
}

// backfillLogEvery is how many elements an index backfill reads between
// two progress lines in the log (0: none).
var backfillLogEvery int64 = 100000

// createIndex declares an index and backfills it from existing data,
// logging the start, the progress every backfillLogEvery elements, and the
// outcome (with the entries written).
func (st *state) createIndex(ctx context.Context, graph string, ss schemaStore, def storage.IndexDef, name string) (any, error) {
	start := time.Now()
	st.exec.log.Info("creating index; backfilling existing data", "graph", graph, "index", name,
		"kind", def.Kind.String(), "element", def.Element.String(), "label", def.Label, "keys", def.Keys)
	every := backfillLogEvery
	next := every
	ctx = storage.WithBackfillProgress(ctx, func(index string, scanned int64) {
		if every > 0 && scanned >= next {
			st.exec.log.Info("index backfill progress", "graph", graph, "index", index,
				"elements", scanned, "elapsed", time.Since(start).String())
			next = (scanned/every + 1) * every
		}
	})
	if err := ss.CreateIndex(ctx, def); err != nil {
		st.exec.log.Warn("index creation failed", "graph", graph, "index", name, "err", err)
		return nil, fmt.Errorf("%w: schema.indexLabel(%q): %w", server.ErrEvaluation, name, err)
	}
	var entries int64
	if s, ok := ss.(interface{ Stats() storage.Stats }); ok {
		entries = s.Stats().IndexEntries[name]
	}
	st.exec.log.Info("index created", "graph", graph, "index", name, "entries", entries, "took", time.Since(start).String())
	for _, m := range schemaList(ss.Schema(), "getIndexLabels") {
		if mm := m.(*value.Map); mapName(mm) == name {
			return mm, nil
		}
	}
	return name, nil
}

func indexDefOf(s storage.Schema, name string) storage.IndexDef {
	for _, d := range s.Indexes {
		if d.Name == name {
			return d
		}
	}
	return storage.IndexDef{Name: name}
}

func kindWord(method string) string {
	m := strings.TrimPrefix(method, "get")
	m = strings.TrimSuffix(m, "s")
	switch strings.ToLower(m) {
	case "propertykey":
		return "property key"
	case "vertexlabel":
		return "vertex label"
	case "edgelabel":
		return "edge label"
	}
	return "index label"
}

func mapName(m *value.Map) string {
	v, _ := m.Get("name")
	s, _ := v.(string)
	return s
}

func strList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

var indexKindNames = map[index.Kind]string{index.Exact: "SECONDARY", index.Range: "RANGE", index.Text: "SEARCH", index.Unique: "UNIQUE"}

// schemaList renders one kind of schema element as HugeGraph names their
// fields.
func schemaList(s storage.Schema, method string) []any {
	out := []any{}
	switch method {
	case "getPropertyKeys":
		for _, p := range s.PropertyKeys {
			m := value.NewMap()
			m.Put("name", p.Name)
			m.Put("data_type", strings.ToUpper(hugeType(p.Type)))
			m.Put("cardinality", strings.ToUpper([]string{"single", "list", "set"}[p.Cardinality]))
			out = append(out, m)
		}
	case "getVertexLabels", "getEdgeLabels":
		ls := s.VertexLabels
		if method == "getEdgeLabels" {
			ls = s.EdgeLabels
		}
		for _, l := range ls {
			m := value.NewMap()
			m.Put("name", l.Name)
			m.Put("properties", strList(l.Properties))
			out = append(out, m)
		}
	case "getIndexLabels":
		for _, d := range s.Indexes {
			m := value.NewMap()
			m.Put("name", d.Name)
			base := "VERTEX_LABEL"
			if d.Element == storage.EdgeElement {
				base = "EDGE_LABEL"
			}
			m.Put("base_type", base)
			m.Put("base_value", d.Label)
			m.Put("index_type", indexKindNames[d.Kind])
			m.Put("fields", strList(d.Keys))
			out = append(out, m)
		}
	}
	return out
}

func hugeType(t storage.DataType) string {
	switch t {
	case storage.TypeString:
		return "text"
	case storage.TypeInt:
		return "int"
	case storage.TypeBytes:
		return "blob"
	}
	return strings.ToLower(t.String())
}

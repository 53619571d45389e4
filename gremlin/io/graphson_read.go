package io

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// gsReader converts parsed JSON (from encoding/json with UseNumber) into
// Gremlin values, following @type tags; untyped JSON maps onto the
// nearest Gremlin types (integers to Int or Long, decimals to Double,
// objects to Map, arrays to List).
type gsReader struct {
	version int
	depth   int
}

func (r *gsReader) fail(format string, args ...any) error {
	return &DecodeError{Format: fmt.Sprintf("GraphSON v%d", r.version), Offset: -1, Msg: fmt.Sprintf(format, args...), Kind: ErrMalformed}
}

func (r *gsReader) unsupported(format string, args ...any) error {
	return &DecodeError{Format: fmt.Sprintf("GraphSON v%d", r.version), Offset: -1, Msg: fmt.Sprintf(format, args...), Kind: ErrUnsupported}
}

// parseJSON parses text into generic JSON values, keeping numbers exact.
func parseJSON(text []byte, version int) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, &DecodeError{Format: fmt.Sprintf("GraphSON v%d", version), Offset: int(dec.InputOffset()), Msg: "invalid JSON: " + err.Error(), Kind: ErrMalformed}
	}
	if dec.More() {
		return nil, &DecodeError{Format: fmt.Sprintf("GraphSON v%d", version), Offset: int(dec.InputOffset()), Msg: "text after the JSON value", Kind: ErrMalformed}
	}
	return v, nil
}

// typeTag returns the @type and @value of a typed JSON object.
func typeTag(o map[string]any) (string, any, bool) {
	t, ok := o["@type"].(string)
	if !ok {
		return "", nil, false
	}
	return t, o["@value"], true
}

func (r *gsReader) read(j any) (any, error) {
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > maxDepth {
		return nil, r.fail("value nested deeper than %d levels", maxDepth)
	}
	switch x := j.(type) {
	case nil, bool, string:
		return x, nil
	case json.Number:
		return untypedNumber(x)
	case []any:
		return r.readList(x)
	case map[string]any:
		if t, v, ok := typeTag(x); ok {
			return r.typed(t, v)
		}
		return r.untypedObject(x)
	}
	return nil, r.fail("unexpected JSON value %T", j)
}

// untypedNumber maps a plain JSON number as Jackson does: Int if it fits,
// then Long, then BigInteger; numbers with a fraction or exponent are Double.
func untypedNumber(n json.Number) (any, error) {
	s := string(n)
	if !strings.ContainsAny(s, ".eE") {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			if i >= math.MinInt32 && i <= math.MaxInt32 {
				return int32(i), nil
			}
			return i, nil
		}
		if b, ok := new(big.Int).SetString(s, 10); ok {
			return b, nil
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !isRangeErr(err) {
		return nil, &DecodeError{Format: "GraphSON", Offset: -1, Msg: fmt.Sprintf("bad number %q", s), Kind: ErrMalformed}
	}
	return f, nil
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

func (r *gsReader) readList(items []any) ([]any, error) {
	out := make([]any, 0, len(items))
	for _, it := range items {
		v, err := r.read(it)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// untypedObject turns a plain JSON object into a Map with string keys,
// in key order (JSON objects are unordered).
func (r *gsReader) untypedObject(o map[string]any) (*value.Map, error) {
	m := value.NewMap()
	for _, k := range sortedKeys(o) {
		v, err := r.read(o[k])
		if err != nil {
			return nil, err
		}
		m.Put(k, v)
	}
	return m, nil
}

var gsEnumTypes = map[string]bool{
	"T": true, "Direction": true, "Order": true, "Scope": true, "Pop": true, "Column": true,
	"Cardinality": true, "Barrier": true, "Operator": true, "Pick": true, "Merge": true, "DT": true, "GType": true,
}

// strategyPackages maps strategy simple names to their Java classes.
var strategyPackages = strategyClassTable()

func strategyClassTable() map[string]string {
	out := map[string]string{}
	const base = "org.apache.tinkerpop.gremlin.process.traversal.strategy."
	for pkg, names := range map[string][]string{
		"decoration": {"ConnectiveStrategy", "ElementIdStrategy", "EventStrategy", "HaltedTraverserStrategy",
			"OptionsStrategy", "PartitionStrategy", "RequirementsStrategy", "SackStrategy", "SeedStrategy",
			"SideEffectStrategy", "SubgraphStrategy", "VertexProgramStrategy"},
		"finalization": {"MatchAlgorithmStrategy", "ProfileStrategy", "ReferenceElementStrategy", "ComputerFinalizationStrategy"},
		"optimization": {"AdjacentToIncidentStrategy", "ByModulatorOptimizationStrategy", "CountStrategy",
			"EarlyLimitStrategy", "FilterRankingStrategy", "IdentityRemovalStrategy", "IncidentToAdjacentStrategy",
			"InlineFilterStrategy", "LazyBarrierStrategy", "MatchPredicateStrategy", "OrderLimitStrategy",
			"PathProcessorStrategy", "PathRetractionStrategy", "ProductiveByStrategy", "RepeatUnrollStrategy",
			"MessagePassingReductionStrategy", "GraphFilterStrategy"},
		"verification": {"ComputerVerificationStrategy", "EdgeLabelVerificationStrategy", "LambdaRestrictionStrategy",
			"ReadOnlyStrategy", "ReservedKeysVerificationStrategy", "StandardVerificationStrategy", "VertexProgramRestrictionStrategy"},
	} {
		for _, n := range names {
			out[n] = base + pkg + "." + n
		}
	}
	return out
}

func (r *gsReader) typed(t string, v any) (any, error) {
	prefix, name, _ := strings.Cut(t, ":")
	if prefix == "g" && gsEnumTypes[name] {
		s, ok := v.(string)
		if !ok {
			return nil, r.fail("%s must hold a string, got %T", t, v)
		}
		return value.Enum{Type: name, Name: s}, nil
	}
	switch t {
	case "g:Int32", "g:Int64", "gx:Int16", "gx:Byte":
		return r.integer(t, v)
	case "g:Float", "g:Double":
		f, err := r.float(t, v)
		if err != nil {
			return nil, err
		}
		if t == "g:Float" {
			return float32(f), nil
		}
		return f, nil
	case "gx:BigInteger":
		s, err := r.numberText(t, v)
		if err != nil {
			return nil, err
		}
		b, ok := new(big.Int).SetString(s, 10)
		if !ok {
			return nil, r.fail("gx:BigInteger %q is not an integer", s)
		}
		return b, nil
	case "gx:BigDecimal":
		s, err := r.numberText(t, v)
		if err != nil {
			return nil, err
		}
		d, err := value.ParseBigDecimal(s)
		if err != nil {
			return nil, r.fail("gx:BigDecimal: %v", err)
		}
		return d, nil
	case "gx:Char":
		s, ok := v.(string)
		if !ok || len([]rune(s)) != 1 {
			return nil, r.fail("gx:Char must be a one-character string, got %v", v)
		}
		return value.Char([]rune(s)[0]), nil
	case "g:UUID":
		s, ok := v.(string)
		if !ok {
			return nil, r.fail("g:UUID must be a string, got %T", v)
		}
		u, err := uuid.Parse(s)
		if err != nil {
			return nil, r.fail("g:UUID %q: %v", s, err)
		}
		return u, nil
	case "g:Date", "g:Timestamp":
		n, ok := v.(json.Number)
		if !ok {
			return nil, r.fail("%s must be a number of milliseconds, got %T", t, v)
		}
		ms, err := n.Int64()
		if err != nil {
			return nil, r.fail("%s %q is not an integer", t, n)
		}
		return time.UnixMilli(ms).UTC(), nil
	case "gx:OffsetDateTime":
		s, ok := v.(string)
		if !ok {
			return nil, r.fail("gx:OffsetDateTime must be a string, got %T", v)
		}
		return parseOffsetDateTime(s, r)
	case "gx:Duration":
		s, ok := v.(string)
		if !ok {
			return nil, r.fail("gx:Duration must be a string, got %T", v)
		}
		d, err := value.ParseDuration(s)
		if err != nil {
			return nil, r.fail("gx:Duration: %v", err)
		}
		return d, nil
	case "gx:ByteBuffer":
		s, ok := v.(string)
		if !ok {
			return nil, r.fail("gx:ByteBuffer must be a base64 string, got %T", v)
		}
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, r.fail("gx:ByteBuffer: %v", err)
		}
		return b, nil
	case "g:List":
		items, err := r.array(t, v)
		if err != nil {
			return nil, err
		}
		return r.readList(items)
	case "g:Set":
		items, err := r.array(t, v)
		if err != nil {
			return nil, err
		}
		list, err := r.readList(items)
		if err != nil {
			return nil, err
		}
		return value.NewSet(list...), nil
	case "g:Map":
		return r.flatMap(v)
	case "g:Class":
		s, ok := v.(string)
		if !ok {
			return nil, r.fail("g:Class must be a string, got %T", v)
		}
		return value.Class(s), nil
	case "g:Vertex":
		return r.vertex(v)
	case "g:Edge":
		return r.edge(v)
	case "g:VertexProperty":
		return r.vertexProperty(v)
	case "g:Property":
		o, err := r.object(t, v)
		if err != nil {
			return nil, err
		}
		key, _ := o["key"].(string)
		val, err := r.read(o["value"])
		if err != nil {
			return nil, err
		}
		return &value.Property{Key: key, Value: val}, nil
	case "g:Path":
		return r.path(v)
	case "g:Bytecode":
		return r.bytecode(v)
	case "g:P", "g:TextP":
		return r.predicate(t, v)
	case "g:Lambda":
		o, err := r.object(t, v)
		if err != nil {
			return nil, err
		}
		l := &value.Lambda{Arguments: -1}
		l.Script, _ = o["script"].(string)
		l.Language, _ = o["language"].(string)
		if n, ok := o["arguments"].(json.Number); ok {
			a, err := n.Int64()
			if err != nil || a < math.MinInt32 || a > math.MaxInt32 {
				return nil, r.fail("g:Lambda arguments %q is not an Int", n)
			}
			l.Arguments = int32(a)
		}
		return l, nil
	case "g:Binding":
		o, err := r.object(t, v)
		if err != nil {
			return nil, err
		}
		key, _ := o["key"].(string)
		val, err := r.read(o["value"])
		if err != nil {
			return nil, err
		}
		return value.Binding{Key: key, Value: val}, nil
	case "g:Traverser":
		o, err := r.object(t, v)
		if err != nil {
			return nil, err
		}
		bulk, err := r.read(o["bulk"])
		if err != nil {
			return nil, err
		}
		b, ok := asInt64(bulk)
		if !ok {
			return nil, r.fail("g:Traverser bulk must be an integer, got %T", bulk)
		}
		val, err := r.read(o["value"])
		if err != nil {
			return nil, err
		}
		return value.Traverser{Bulk: b, Value: val}, nil
	case "g:BulkSet":
		items, err := r.array(t, v)
		if err != nil {
			return nil, err
		}
		if len(items)%2 != 0 {
			return nil, r.fail("g:BulkSet needs value/bulk pairs, got %d items", len(items))
		}
		bs := &value.BulkSet{Items: make([]value.BulkItem, 0, len(items)/2)}
		for i := 0; i < len(items); i += 2 {
			val, err := r.read(items[i])
			if err != nil {
				return nil, err
			}
			bulk, err := r.read(items[i+1])
			if err != nil {
				return nil, err
			}
			b, ok := asInt64(bulk)
			if !ok {
				return nil, r.fail("g:BulkSet bulk must be an integer, got %T", bulk)
			}
			bs.Items = append(bs.Items, value.BulkItem{Value: val, Bulk: b})
		}
		return bs, nil
	case "g:Tree":
		return r.tree(v)
	case "g:Metrics":
		return r.metrics(v)
	case "g:TraversalMetrics":
		m, err := r.stats(t, v)
		if err != nil {
			return nil, err
		}
		tm := &value.TraversalMetrics{DurationNs: durNs(m)}
		if ms, ok := m.Get("metrics"); ok {
			list, _ := ms.([]any)
			for _, it := range list {
				mm, ok := it.(*value.Metrics)
				if !ok {
					return nil, r.fail("g:TraversalMetrics metrics must hold g:Metrics, got %T", it)
				}
				tm.Metrics = append(tm.Metrics, mm)
			}
		}
		return tm, nil
	case "g:TraversalExplanation":
		return r.explanation(v)
	}
	if prefix == "g" && strings.HasSuffix(name, "Strategy") {
		class, ok := strategyPackages[name]
		if !ok {
			class = name
		}
		// npm gremlin 3.8 wraps the configuration: {"fqcn":..., "conf":{...}}.
		if o, isObj := v.(map[string]any); isObj && len(o) == 2 {
			if fqcn, ok := o["fqcn"].(string); ok {
				if conf, ok := o["conf"]; ok {
					class, v = fqcn, conf
				}
			}
		}
		conf, err := r.strategyConfig(v)
		if err != nil {
			return nil, err
		}
		return value.Strategy{Class: class, Config: conf}, nil
	}
	return nil, r.unsupported("unknown GraphSON type %q", t)
}

func (r *gsReader) strategyConfig(v any) (*value.Map, error) {
	switch c := v.(type) {
	case nil:
		return value.NewMap(), nil
	case map[string]any:
		if t, inner, ok := typeTag(c); ok {
			if t != "g:Map" {
				return nil, r.fail("strategy configuration must be an object or g:Map, got %s", t)
			}
			return r.flatMap(inner)
		}
		return r.untypedObject(c)
	}
	return nil, r.fail("strategy configuration must be an object, got %T", v)
}

func (r *gsReader) integer(t string, v any) (any, error) {
	n, ok := v.(json.Number)
	if !ok {
		return nil, r.fail("%s must be a number, got %T", t, v)
	}
	i, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil {
		// Some clients write integral doubles (1.0) for Int64.
		f, ferr := strconv.ParseFloat(string(n), 64)
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return nil, r.fail("%s %q is not an integer", t, n)
		}
		i = int64(f)
	}
	fits := func(lo, hi int64) error {
		if i < lo || i > hi {
			return r.fail("%s %d is out of range", t, i)
		}
		return nil
	}
	switch t {
	case "g:Int32":
		return int32(i), fits(math.MinInt32, math.MaxInt32)
	case "gx:Int16":
		return int16(i), fits(math.MinInt16, math.MaxInt16)
	case "gx:Byte":
		if i > math.MaxInt8 && i <= math.MaxUint8 {
			return int8(uint8(i)), nil // unsigned spelling
		}
		return int8(i), fits(math.MinInt8, math.MaxInt8)
	}
	return i, nil
}

func (r *gsReader) float(t string, v any) (float64, error) {
	switch x := v.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil && !isRangeErr(err) {
			return 0, r.fail("%s %q is not a number", t, x)
		}
		return f, nil
	case string:
		switch x {
		case "NaN":
			return math.NaN(), nil
		case "Infinity":
			return math.Inf(1), nil
		case "-Infinity":
			return math.Inf(-1), nil
		}
	}
	return 0, r.fail("%s must be a number, NaN or ±Infinity, got %v", t, v)
}

func (r *gsReader) numberText(t string, v any) (string, error) {
	switch x := v.(type) {
	case json.Number:
		return string(x), nil
	case string:
		return x, nil
	}
	return "", r.fail("%s must be a number or numeric string, got %T", t, v)
}

// parseOffsetDateTime parses java.time.OffsetDateTime text; seconds and
// fractions are optional, as Java prints them.
func parseOffsetDateTime(s string, r *gsReader) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05.999999999Z07:00:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			_, off := t.Zone()
			return t.In(time.FixedZone("", off)), nil
		}
	}
	return time.Time{}, r.fail("gx:OffsetDateTime %q is not an ISO-8601 offset date-time", s)
}

func (r *gsReader) array(t string, v any) ([]any, error) {
	items, ok := v.([]any)
	if !ok {
		return nil, r.fail("%s must hold a JSON array, got %T", t, v)
	}
	return items, nil
}

func (r *gsReader) object(t string, v any) (map[string]any, error) {
	o, ok := v.(map[string]any)
	if !ok {
		return nil, r.fail("%s must hold a JSON object, got %T", t, v)
	}
	return o, nil
}

// flatMap reads a g:Map body: [k1, v1, k2, v2, ...].
func (r *gsReader) flatMap(v any) (*value.Map, error) {
	items, err := r.array("g:Map", v)
	if err != nil {
		return nil, err
	}
	if len(items)%2 != 0 {
		return nil, r.fail("g:Map needs key/value pairs, got %d items", len(items))
	}
	m := value.NewMap()
	for i := 0; i < len(items); i += 2 {
		k, err := r.read(items[i])
		if err != nil {
			return nil, err
		}
		val, err := r.read(items[i+1])
		if err != nil {
			return nil, err
		}
		m.Put(k, val)
	}
	return m, nil
}

// stats reads a metrics body: a g:Map (v3) or a plain object (v2).
func (r *gsReader) stats(t string, v any) (*value.Map, error) {
	o, err := r.object(t, v)
	if err != nil {
		return nil, err
	}
	if tt, inner, ok := typeTag(o); ok {
		if tt != "g:Map" {
			return nil, r.fail("%s must hold a g:Map, got %s", t, tt)
		}
		return r.flatMap(inner)
	}
	return r.untypedObject(o)
}

func durNs(m *value.Map) int64 {
	d, _ := m.Get("dur")
	switch x := d.(type) {
	case float64:
		return int64(math.Round(x * 1e6))
	case float32:
		return int64(math.Round(float64(x) * 1e6))
	}
	if n, ok := asInt64(d); ok {
		return n * 1e6
	}
	return 0
}

func (r *gsReader) metrics(v any) (any, error) {
	m, err := r.stats("g:Metrics", v)
	if err != nil {
		return nil, err
	}
	out := &value.Metrics{DurationNs: durNs(m), Counts: value.NewMap(), Annotations: value.NewMap()}
	if id, ok := m.Get("id"); ok {
		out.ID, _ = id.(string)
	}
	if name, ok := m.Get("name"); ok {
		out.Name, _ = name.(string)
	}
	if c, ok := m.Get("counts"); ok && c != nil {
		if out.Counts, ok = c.(*value.Map); !ok {
			return nil, r.fail("g:Metrics counts must be a map, got %T", c)
		}
	}
	if a, ok := m.Get("annotations"); ok && a != nil {
		if out.Annotations, ok = a.(*value.Map); !ok {
			return nil, r.fail("g:Metrics annotations must be a map, got %T", a)
		}
	}
	if n, ok := m.Get("metrics"); ok {
		list, _ := n.([]any)
		for _, it := range list {
			mm, ok := it.(*value.Metrics)
			if !ok {
				return nil, r.fail("g:Metrics nested metrics must be g:Metrics, got %T", it)
			}
			out.Nested = append(out.Nested, mm)
		}
	}
	return out, nil
}

func (r *gsReader) vertex(v any) (any, error) {
	o, err := r.object("g:Vertex", v)
	if err != nil {
		return nil, err
	}
	id, err := r.read(o["id"])
	if err != nil {
		return nil, err
	}
	vx := &value.Vertex{ID: id}
	vx.Label, _ = o["label"].(string)
	props, ok := o["properties"].(map[string]any)
	if !ok {
		return vx, nil
	}
	vx.Properties = []*value.VertexProperty{}
	for _, k := range sortedKeys(props) {
		list, ok := props[k].([]any)
		if !ok {
			return nil, r.fail("g:Vertex property %q must be an array of g:VertexProperty", k)
		}
		for _, it := range list {
			p, err := r.read(it)
			if err != nil {
				return nil, err
			}
			vp, ok := p.(*value.VertexProperty)
			if !ok {
				return nil, r.fail("g:Vertex property %q holds %T, expected g:VertexProperty", k, p)
			}
			vx.Properties = append(vx.Properties, vp)
		}
	}
	return vx, nil
}

func (r *gsReader) edge(v any) (any, error) {
	o, err := r.object("g:Edge", v)
	if err != nil {
		return nil, err
	}
	id, err := r.read(o["id"])
	if err != nil {
		return nil, err
	}
	inV, err := r.read(o["inV"])
	if err != nil {
		return nil, err
	}
	outV, err := r.read(o["outV"])
	if err != nil {
		return nil, err
	}
	e := &value.Edge{ID: id, InV: &value.Vertex{ID: inV}, OutV: &value.Vertex{ID: outV}}
	e.Label, _ = o["label"].(string)
	e.InV.Label, _ = o["inVLabel"].(string)
	e.OutV.Label, _ = o["outVLabel"].(string)
	props, ok := o["properties"].(map[string]any)
	if !ok {
		return e, nil
	}
	if e.Properties, err = r.properties(props); err != nil {
		return nil, err
	}
	return e, nil
}

func (r *gsReader) vertexProperty(v any) (any, error) {
	o, err := r.object("g:VertexProperty", v)
	if err != nil {
		return nil, err
	}
	id, err := r.read(o["id"])
	if err != nil {
		return nil, err
	}
	val, err := r.read(o["value"])
	if err != nil {
		return nil, err
	}
	vp := &value.VertexProperty{ID: id, Value: val}
	vp.Key, _ = o["label"].(string)
	props, ok := o["properties"].(map[string]any)
	if !ok {
		return vp, nil
	}
	if vp.Properties, err = r.properties(props); err != nil {
		return nil, err
	}
	return vp, nil
}

// properties reads the "properties" object of a g:Edge or
// g:VertexProperty, in key order. A value that is not a g:Property (an
// untyped property value) becomes the value of the property of its key.
func (r *gsReader) properties(props map[string]any) ([]*value.Property, error) {
	out := []*value.Property{}
	for _, k := range sortedKeys(props) {
		pv, err := r.read(props[k])
		if err != nil {
			return nil, err
		}
		p, ok := pv.(*value.Property)
		if !ok {
			p = &value.Property{Key: k, Value: pv}
		}
		out = append(out, p)
	}
	return out, nil
}

func (r *gsReader) path(v any) (any, error) {
	o, err := r.object("g:Path", v)
	if err != nil {
		return nil, err
	}
	labels, err := r.read(o["labels"])
	if err != nil {
		return nil, err
	}
	objects, err := r.read(o["objects"])
	if err != nil {
		return nil, err
	}
	ll, ok1 := labels.([]any)
	objs, ok2 := objects.([]any)
	if !ok1 || !ok2 || len(ll) != len(objs) {
		return nil, r.fail("g:Path needs labels and objects lists of equal length")
	}
	p := &value.Path{Labels: make([][]string, len(ll)), Objects: objs}
	for i, l := range ll {
		var items []any
		switch s := l.(type) {
		case *value.Set:
			items = s.Items()
		case []any:
			items = s
		default:
			return nil, r.fail("g:Path labels must be sets of strings, got %T", l)
		}
		names := make([]string, 0, len(items))
		for _, it := range items {
			str, ok := it.(string)
			if !ok {
				return nil, r.fail("g:Path label must be a string, got %T", it)
			}
			names = append(names, str)
		}
		p.Labels[i] = names
	}
	return p, nil
}

func (r *gsReader) instructions(v any) ([]value.Instruction, error) {
	if v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, r.fail("g:Bytecode instructions must be an array, got %T", v)
	}
	var out []value.Instruction
	for _, it := range list {
		in, ok := it.([]any)
		if !ok || len(in) == 0 {
			return nil, r.fail("g:Bytecode instruction must be a non-empty array")
		}
		name, ok := in[0].(string)
		if !ok {
			return nil, r.fail("g:Bytecode instruction name must be a string, got %T", in[0])
		}
		args, err := r.readList(in[1:])
		if err != nil {
			return nil, err
		}
		out = append(out, value.Instruction{Operator: name, Args: args})
	}
	return out, nil
}

func (r *gsReader) bytecode(v any) (any, error) {
	o, err := r.object("g:Bytecode", v)
	if err != nil {
		return nil, err
	}
	steps, err := r.instructions(o["step"])
	if err != nil {
		return nil, err
	}
	sources, err := r.instructions(o["source"])
	if err != nil {
		return nil, err
	}
	return &value.Bytecode{Sources: sources, Steps: steps}, nil
}

func (r *gsReader) predicate(t string, v any) (any, error) {
	o, err := r.object(t, v)
	if err != nil {
		return nil, err
	}
	op, ok := o["predicate"].(string)
	if !ok {
		return nil, r.fail("%s needs a string predicate", t)
	}
	val, err := r.read(o["value"])
	if err != nil {
		return nil, err
	}
	p := &value.P{Operator: op, Text: t == "g:TextP"}
	switch x := val.(type) {
	case []any:
		p.Values = x
	case *value.Set:
		if op == "within" || op == "without" {
			p.Values = x.Items()
		} else {
			p.Values = []any{x}
		}
	default:
		p.Values = []any{val}
	}
	return p, nil
}

func (r *gsReader) tree(v any) (any, error) {
	items, err := r.array("g:Tree", v)
	if err != nil {
		return nil, err
	}
	t := &value.Tree{Branches: make([]value.TreeBranch, 0, len(items))}
	for _, it := range items {
		o, ok := it.(map[string]any)
		if !ok {
			return nil, r.fail("g:Tree items must be {key, value} objects")
		}
		k, err := r.read(o["key"])
		if err != nil {
			return nil, err
		}
		sub, err := r.read(o["value"])
		if err != nil {
			return nil, err
		}
		st, ok := sub.(*value.Tree)
		if !ok {
			return nil, r.fail("g:Tree value must be a g:Tree, got %T", sub)
		}
		t.Branches = append(t.Branches, value.TreeBranch{Key: k, Tree: st})
	}
	return t, nil
}

func (r *gsReader) explanation(v any) (any, error) {
	o, err := r.object("g:TraversalExplanation", v)
	if err != nil {
		return nil, err
	}
	strs := func(j any) []string {
		list, _ := j.([]any)
		out := make([]string, 0, len(list))
		for _, it := range list {
			if s, ok := it.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	x := &value.TraversalExplanation{Original: strs(o["original"]), Final: strs(o["final"])}
	inter, _ := o["intermediate"].([]any)
	for _, it := range inter {
		io, ok := it.(map[string]any)
		if !ok {
			return nil, r.fail("g:TraversalExplanation intermediate items must be objects")
		}
		s := value.ExplanationStep{Traversal: strs(io["traversal"])}
		s.Strategy, _ = io["strategy"].(string)
		s.Category, _ = io["category"].(string)
		x.Intermediate = append(x.Intermediate, s)
	}
	return x, nil
}

package lang

import (
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// Argument kinds used in step signatures. A trailing "..." marks a
// variadic tail. A value.Binding (variable) matches every kind: its type
// is only known when the evaluator substitutes it.
//
//	any      any value (literal, collection, enum, P, traversal)
//	str      string or null            str!  string
//	int      integral number           num   any number
//	bool     boolean                   trav  anonymous traversal
//	P        predicate                 fn    T or Column (a function token)
//	map      map                       mapnull  map or null
//	Vertex   vertex literal            date  datetime()
//	Scope, Order, Pop, Column, Direction, Cardinality, Merge, Pick, DT,
//	Operator, Barrier, GType, T: an enum of that type
var stepSignatures = map[string][][]string{
	"V": {{"any..."}}, "E": {{"any..."}},
	"addE":      {{"str!"}, {"trav"}},
	"addV":      {{}, {"str!"}, {"trav"}},
	"mergeV":    {{}, {"mapnull"}, {"trav"}},
	"mergeE":    {{}, {"mapnull"}, {"trav"}},
	"aggregate": {{"Scope", "str!"}, {"str!"}},
	"all":       {{"P"}}, "any": {{"P"}}, "none": {{"P"}},
	"and": {{"trav..."}}, "or": {{"trav..."}}, "coalesce": {{"trav..."}},
	"union": {{"trav..."}}, "match": {{"trav..."}},
	"as":       {{"str!", "str..."}},
	"asBool":   {{}},
	"asDate":   {{}},
	"asNumber": {{}, {"GType"}},
	"barrier":  {{}, {"Barrier"}, {"int"}},
	"both":     {{"str..."}}, "bothE": {{"str..."}}, "in": {{"str..."}},
	"inE": {{"str..."}}, "out": {{"str..."}}, "outE": {{"str..."}},
	"branch": {{"trav"}},
	"by": {{}, {"Order"}, {"fn"}, {"fn", "Order"}, {"str!"}, {"str!", "Order"},
		{"trav"}, {"trav", "Order"}},
	"call":    {{"str!"}, {"str!", "map"}, {"str!", "trav"}, {"str!", "map", "trav"}},
	"cap":     {{"str!", "str..."}},
	"choose":  {{"fn"}, {"P", "trav"}, {"P", "trav", "trav"}, {"trav"}, {"trav", "trav"}, {"trav", "trav", "trav"}},
	"coin":    {{"num"}},
	"combine": {{"any"}}, "difference": {{"any"}}, "disjunct": {{"any"}},
	"intersect": {{"any"}}, "merge": {{"any"}}, "product": {{"any"}},
	"constant": {{"any"}},
	"concat":   {{"trav", "trav..."}, {"str..."}},
	"conjoin":  {{"str!"}},
	"count":    {{}, {"Scope"}}, "max": {{}, {"Scope"}}, "min": {{}, {"Scope"}},
	"mean": {{}, {"Scope"}}, "sum": {{}, {"Scope"}}, "order": {{}, {"Scope"}},
	"toUpper": {{}, {"Scope"}}, "toLower": {{}, {"Scope"}}, "length": {{}, {"Scope"}},
	"trim": {{}, {"Scope"}}, "lTrim": {{}, {"Scope"}}, "rTrim": {{}, {"Scope"}},
	"asString":   {{}, {"Scope"}},
	"dateAdd":    {{"DT", "int"}},
	"dateDiff":   {{"trav"}, {"date"}},
	"dedup":      {{"Scope", "str..."}, {"str..."}},
	"elementMap": {{"str..."}}, "propertyMap": {{"str..."}},
	"properties": {{"str..."}}, "values": {{"str..."}},
	"emit":    {{}, {"P"}, {"trav"}},
	"fail":    {{}, {"str!"}},
	"filter":  {{"P"}, {"trav"}},
	"flatMap": {{"trav"}}, "local": {{"trav"}}, "map": {{"trav"}},
	"optional": {{"trav"}}, "sideEffect": {{"trav"}}, "not": {{"trav"}},
	"fold":   {{}, {"any", "Operator"}},
	"format": {{"str!"}},
	"from":   {{"str!"}, {"Vertex"}, {"trav"}},
	"to":     {{"Direction", "str..."}, {"str!"}, {"Vertex"}, {"trav"}},
	"group":  {{}, {"str!"}}, "groupCount": {{}, {"str!"}},
	"has": {{"str"}, {"str", "any"}, {"str", "str", "any"},
		{"T", "any"}},
	"hasId":    {{"any", "any..."}},
	"hasKey":   {{"P"}, {"str", "str..."}},
	"hasLabel": {{"P"}, {"str", "str..."}},
	"hasNot":   {{"str"}},
	"hasValue": {{"any", "any..."}},
	"inject":   {{"any..."}},
	"is":       {{"any"}},
	"limit":    {{"Scope", "int"}, {"int"}},
	"skip":     {{"Scope", "int"}, {"int"}},
	"range":    {{"Scope", "int", "int"}, {"int", "int"}},
	"tail":     {{}, {"Scope"}, {"Scope", "int"}, {"int"}},
	"sample":   {{"Scope", "int"}, {"int"}},
	"loops":    {{}, {"str!"}},
	"math":     {{"str!"}},
	"option": {{"Merge", "mapnull"}, {"Merge", "mapnull", "Cardinality"}, {"Merge", "trav"},
		{"any", "trav"}, {"trav"}},
	"pageRank": {{}, {"num"}},
	"profile":  {{}, {"str!"}},
	"program":  {{"any"}},
	"project":  {{"str!", "str..."}},
	"property": {{"Cardinality", "any", "any", "any..."}, {"Cardinality", "mapnull"},
		{"any", "any", "any..."}, {"mapnull"}},
	"repeat":  {{"str!", "trav"}, {"trav"}},
	"replace": {{"str", "str"}, {"Scope", "str", "str"}},
	"sack":    {{}, {"Operator"}},
	"select": {{"Column"}, {"Pop", "str!"}, {"Pop", "str!", "str!", "str..."}, {"Pop", "trav"},
		{"str!"}, {"str!", "str!", "str..."}, {"trav"}},
	"split":     {{"str"}, {"Scope", "str"}},
	"subgraph":  {{"str!"}},
	"substring": {{"int"}, {"Scope", "int"}, {"int", "int"}, {"Scope", "int", "int"}},
	"timeLimit": {{"int"}}, "times": {{"int"}},
	"toE":      {{"Direction", "str..."}},
	"toV":      {{"Direction"}},
	"tree":     {{}, {"str!"}},
	"until":    {{"P"}, {"trav"}},
	"valueMap": {{"str..."}, {"bool", "str..."}},
	"where":    {{"P"}, {"str!", "P"}, {"trav"}},
	"with":     {{"str!"}, {"str!", "any"}},
	"bothV":    {{}}, "connectedComponent": {{}}, "cyclicPath": {{}}, "discard": {{}},
	"drop": {{}}, "element": {{}}, "id": {{}}, "identity": {{}}, "index": {{}},
	"inV": {{}}, "key": {{}}, "label": {{}}, "otherV": {{}}, "outV": {{}},
	"path": {{}}, "peerPressure": {{}}, "read": {{}}, "reverse": {{}},
	"shortestPath": {{}}, "simplePath": {{}}, "unfold": {{}}, "value": {{}},
	"write": {{}},
}

var spawnSignatures = map[string][][]string{
	"V": {{"any..."}}, "E": {{"any..."}}, "inject": {{"any..."}},
	"addV":   {{}, {"str!"}, {"trav"}},
	"addE":   {{"str!"}, {"trav"}},
	"mergeV": {{"mapnull"}, {"trav"}},
	"mergeE": {{"mapnull"}, {"trav"}},
	"io":     {{"str!"}},
	"call":   {{}, {"str!"}, {"str!", "map"}, {"str!", "trav"}, {"str!", "map", "trav"}},
	"union":  {{"trav..."}},
}

var kindNamesDesc = map[string]string{
	"any": "a value", "str": "a string or null", "str!": "a string", "int": "an integer",
	"num": "a number", "bool": "a boolean", "trav": "a traversal", "P": "a predicate",
	"fn": "T or Column", "map": "a map", "mapnull": "a map or null", "Vertex": "a Vertex",
	"date": "a datetime", "Scope": "Scope (local, global)", "Order": "Order (asc, desc, shuffle)",
	"Pop": "Pop (first, last, all, mixed)", "Column": "Column (keys, values)",
	"Direction": "Direction (IN, OUT, BOTH)", "Cardinality": "Cardinality (single, list, set)",
	"Merge": "Merge (onCreate, onMatch, outV, inV)", "Pick": "Pick (any, none)",
	"DT": "DT (second, minute, hour, day)", "Operator": "an Operator (e.g. Operator.sum)",
	"Barrier": "Barrier.normSack", "GType": "a GType (e.g. GType.INT)", "T": "T (id, label, key, value)",
}

// kind classes used by matchKind
const (
	kString = "str!"
	kBool   = "bool"
)

func isKind(v any, k string) bool { return matchKind(v, k) }

func isEnumOf(v any, typ string) bool {
	if _, ok := v.(value.Binding); ok {
		return true
	}
	e, ok := v.(value.Enum)
	return ok && e.Type == typ
}

func matchKind(v any, k string) bool {
	if _, ok := v.(value.Binding); ok {
		return true
	}
	switch k {
	case "any":
		return true
	case "str":
		if v == nil {
			return true
		}
		_, ok := v.(string)
		return ok
	case "str!":
		_, ok := v.(string)
		return ok
	case "int":
		switch v.(type) {
		case int8, int16, int32, int64, *big.Int:
			return true
		}
		return false
	case "num":
		switch v.(type) {
		case int8, int16, int32, int64, *big.Int, float32, float64, value.BigDecimal:
			return true
		}
		return false
	case "bool":
		_, ok := v.(bool)
		return ok
	case "trav":
		b, ok := v.(*value.Bytecode)
		if !ok {
			return false
		}
		_, _, isCard := IsCardinalityValue(b)
		return !isCard
	case "P":
		_, ok := v.(*value.P)
		return ok
	case "fn":
		return isEnumOf(v, "T") || isEnumOf(v, "Column")
	case "map":
		_, ok := v.(*value.Map)
		return ok
	case "mapnull":
		if v == nil {
			return true
		}
		_, ok := v.(*value.Map)
		return ok
	case "Vertex":
		_, ok := v.(*value.Vertex)
		return ok
	case "date":
		_, ok := v.(time.Time)
		return ok
	default:
		return isEnumOf(v, k)
	}
}

// checkSignature verifies args against the overloads of method mt and
// returns a SyntaxError naming the first argument no overload accepts.
func checkSignature(mt token, args []arg, sigs [][]string, ar [2]int) error {
	bestPos := -1
	var expected []string
	arityOK := false
	for _, sig := range sigs {
		pos, ok, arity := matchSig(sig, args)
		if ok {
			return nil
		}
		if !arity {
			continue
		}
		arityOK = true
		if pos > bestPos {
			bestPos = pos
			expected = nil
		}
		if pos == bestPos {
			expected = append(expected, kindAt(sig, pos))
		}
	}
	if !arityOK || bestPos < 0 {
		return checkArityOrGeneric(mt, len(args), ar)
	}
	a := args[bestPos]
	return &SyntaxError{Line: a.tok.line, Column: a.tok.col, Found: describeArg(a),
		Expected: joinKinds(expected) + " as argument " + itoa(bestPos+1) + " of " + mt.text + "()"}
}

func checkArityOrGeneric(mt token, n int, ar [2]int) error {
	if err := checkArity(mt, n, ar); err != nil {
		return err
	}
	return &SyntaxError{Line: mt.line, Column: mt.col, Found: mt.text + "() with these arguments", Expected: "arguments matching an overload of " + mt.text + "()"}
}

// matchSig reports the first mismatching position, whether the whole
// signature matched and whether the argument count fits it.
func matchSig(sig []string, args []arg) (int, bool, bool) {
	variadic := len(sig) > 0 && strings.HasSuffix(sig[len(sig)-1], "...")
	fixed := len(sig)
	if variadic {
		fixed--
	}
	if len(args) < fixed || (!variadic && len(args) > fixed) {
		return 0, false, false
	}
	for i, a := range args {
		if !matchKind(a.v, kindAt(sig, i)) {
			return i, false, true
		}
	}
	return len(args), true, true
}

func kindAt(sig []string, i int) string {
	if i < len(sig) {
		return strings.TrimSuffix(sig[i], "...")
	}
	return strings.TrimSuffix(sig[len(sig)-1], "...")
}

func joinKinds(ks []string) string {
	seen := map[string]bool{}
	var out []string
	for _, k := range ks {
		d := kindNamesDesc[k]
		if d == "" {
			d = k
		}
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	sort.Strings(out)
	switch len(out) {
	case 0:
		return "a valid argument"
	case 1:
		return out[0]
	}
	return strings.Join(out[:len(out)-1], ", ") + " or " + out[len(out)-1]
}

func describeArg(a arg) string {
	switch v := a.v.(type) {
	case nil:
		return "null"
	case *value.Bytecode:
		return "a traversal"
	case *value.P:
		return "predicate " + v.Operator + "()"
	case value.Enum:
		return v.Type + "." + v.Name
	}
	return a.tok.describe()
}

func itoa(i int) string { return strconv.Itoa(i) }

func sortStrings(s []string) { sort.Strings(s) }

// buildStep validates a step's arguments and returns its instruction.
func (p *parser) buildStep(mt token, args []arg) (value.Instruction, error) {
	if err := checkSignature(mt, args, stepSignatures[mt.text], stepArity[mt.text]); err != nil {
		return value.Instruction{}, err
	}
	return value.Instruction{Operator: mt.text, Args: argValues(args)}, nil
}

// buildSourceSpawn validates a source spawn step's arguments.
func (p *parser) buildSourceSpawn(mt token, args []arg) (value.Instruction, error) {
	if err := checkSignature(mt, args, spawnSignatures[mt.text], sourceSpawnArity[mt.text]); err != nil {
		return value.Instruction{}, err
	}
	return value.Instruction{Operator: mt.text, Args: argValues(args)}, nil
}

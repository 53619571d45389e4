package lang

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// parseArg parses one argument: a literal, collection, enum, predicate,
// nested traversal, strategy-free constant or variable.
func (p *parser) parseArg() (any, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	t := p.peek()
	switch t.kind {
	case tInt:
		p.next()
		v, err := intLiteral(t)
		if err != nil {
			return nil, err
		}
		if p.isRange() {
			return p.parseRange(t, v)
		}
		return v, nil
	case tFloat:
		p.next()
		return floatLiteral(t)
	case tString:
		p.next()
		if p.isRange() {
			return p.parseRange(t, t.val)
		}
		return t.val, nil
	case tLBrack:
		return p.parseListOrMap()
	case tLBrace:
		return p.parseSetOrLambda()
	case tIdent:
		return p.parseIdentArg()
	case tArrow:
		return nil, p.lambdaErr(t)
	}
	return nil, p.errf(t, "an argument (a literal, enum, predicate, traversal or variable)")
}

func (p *parser) isRange() bool {
	return p.peek().kind == tDot && p.peekAt(1).kind == tDot
}

// parseRange expands a Groovy range "1..3" or "'a'..'c'" into a list.
func (p *parser) parseRange(startTok token, start any) (any, error) {
	p.next()
	p.next()
	et := p.peek()
	switch s := start.(type) {
	case string:
		if et.kind != tString {
			return nil, p.errf(et, "a string to end the range")
		}
		p.next()
		return stringRange(startTok, s, et.val)
	default:
		if et.kind != tInt {
			return nil, p.errf(et, "an integer to end the range")
		}
		p.next()
		ev, err := intLiteral(et)
		if err != nil {
			return nil, err
		}
		a, ok1 := start.(int32)
		b, ok2 := ev.(int32)
		if !ok1 || !ok2 {
			return nil, &SyntaxError{Line: startTok.line, Column: startTok.col, Found: "a range with non-int bounds", Expected: "integer bounds within the int range"}
		}
		n := int64(b) - int64(a)
		if n < 0 {
			n = -n
		}
		if n > 1_000_000 {
			return nil, &SyntaxError{Line: startTok.line, Column: startTok.col, Found: "a range of " + strconv.FormatInt(n+1, 10) + " items", Expected: "a range of at most 1000000 items"}
		}
		out := make([]any, 0, n+1)
		if a <= b {
			for i := a; ; i++ {
				out = append(out, i)
				if i == b {
					break
				}
			}
		} else {
			for i := a; ; i-- {
				out = append(out, i)
				if i == b {
					break
				}
			}
		}
		return out, nil
	}
}

func stringRange(t token, a, b string) (any, error) {
	ra, rb := []rune(a), []rune(b)
	if len(ra) != len(rb) {
		return nil, &SyntaxError{Line: t.line, Column: t.col, Found: "a string range with ends of different lengths", Expected: "range ends of the same length"}
	}
	out := []any{}
	if len(ra) == 0 {
		return out, nil
	}
	prefix := string(ra[:len(ra)-1])
	if string(rb[:len(rb)-1]) != prefix {
		return nil, &SyntaxError{Line: t.line, Column: t.col, Found: "a string range whose ends differ before the last character", Expected: "range ends sharing all but the last character"}
	}
	x, y := ra[len(ra)-1], rb[len(rb)-1]
	if x <= y {
		for c := x; c <= y; c++ {
			out = append(out, prefix+string(c))
		}
	} else {
		for c := x; c >= y; c-- {
			out = append(out, prefix+string(c))
		}
	}
	return out, nil
}

// parseIdentArg handles arguments that start with an identifier.
func (p *parser) parseIdentArg() (any, error) {
	t := p.peek()
	name := t.text
	nt := p.peekAt(1)
	switch name {
	case "true":
		p.next()
		return true, nil
	case "false":
		p.next()
		return false, nil
	case "null":
		p.next()
		return nil, nil
	case "NaN":
		p.next()
		return math.NaN(), nil
	case "Infinity":
		p.next()
		return math.Inf(1), nil
	case "new":
		p.next()
		vt := p.peek()
		if vt.kind == tIdent && (vt.text == "Vertex" || vt.text == "ReferenceVertex") {
			return p.parseVertex()
		}
		if vt.kind == tIdent {
			if _, ok := strategies[vt.text]; ok {
				return nil, p.errf(vt, "a value (strategies are only allowed in withStrategies())")
			}
		}
		return nil, p.errf(vt, "Vertex or ReferenceVertex after 'new'")
	case "Lambda":
		return nil, p.lambdaErr(t)
	case "__":
		p.next()
		if _, err := p.expect(tDot, "'.' after __"); err != nil {
			return nil, err
		}
		return p.parseAnonChain(nil)
	}
	if nt.kind == tDot && p.peekAt(2).kind == tIdent {
		if tbl, ok := enums[name]; ok {
			p.next()
			p.next()
			mt := p.next()
			canon, ok := tbl[mt.text]
			if !ok {
				return nil, p.errf(mt, "a constant of %s (%s)", name, enumList(name))
			}
			e := value.Enum{Type: name, Name: canon}
			if name == "Cardinality" && p.peek().kind == tLParen {
				return p.parseCardinalityValue(mt, e)
			}
			return e, nil
		}
		if tbl, ok := constants[name]; ok {
			p.next()
			p.next()
			mt := p.next()
			v, ok := tbl[mt.text]
			if !ok {
				return nil, p.errf(mt, "a constant of %s", name)
			}
			return v, nil
		}
		if name == "Text" && strings.HasPrefix(p.peekAt(2).text, "textContains") {
			// JanusGraph's Text.textContains('x') is textContains('x').
			p.next()
			p.next()
			mt := p.peek()
			if _, ok := predicates[mt.text]; !ok {
				return nil, p.errf(mt, "a Text predicate (textContains, textContainsPrefix, textContainsRegex)")
			}
			p.next()
			return p.parsePredicate(mt)
		}
		if name == "P" || name == "TextP" {
			p.next()
			p.next()
			mt := p.peek()
			info, ok := predicates[mt.text]
			if !ok || info.text != (name == "TextP") {
				if name == "TextP" {
					return nil, p.errf(mt, "a TextP predicate (containing, notContaining, startingWith, notStartingWith, endingWith, notEndingWith, regex, notRegex)")
				}
				return nil, p.errf(mt, "a P predicate (eq, neq, lt, lte, gt, gte, inside, outside, between, within, without, not, typeOf)")
			}
			p.next()
			return p.parsePredicate(mt)
		}
		if isSourceName(name) {
			// a terminated traversal used as a value: g.V(1).next()
			return p.parseSourceChain(true)
		}
	}
	if nt.kind == tLParen {
		switch name {
		case "datetime", "DateTime":
			return p.parseDatetime()
		case "UUID":
			return p.parseUUID()
		case "Vertex", "ReferenceVertex":
			return p.parseVertex()
		case "single", "list", "set":
			p.next()
			return p.parseCardinalityValue(t, value.Enum{Type: "Cardinality", Name: name})
		case "not":
			return p.parseNot()
		}
		if _, ok := predicates[name]; ok {
			p.next()
			return p.parsePredicate(t)
		}
		if _, ok := stepArity[name]; ok {
			return p.parseAnonChain(nil)
		}
		if _, ok := strategies[name]; ok {
			return nil, p.errf(t, "a value (strategies are only allowed in withStrategies())")
		}
		return nil, p.errf(t, "a step, predicate or function (%s is not known)", t.describe())
	}
	if e, ok := bareEnums[name]; ok {
		p.next()
		return e, nil
	}
	p.next()
	return value.Binding{Key: name}, nil
}

func enumList(typ string) string {
	var names []string
	for n := range enums[typ] {
		names = append(names, n)
	}
	sortStrings(names)
	return strings.Join(names, ", ")
}

// parseAnonChain parses an anonymous traversal: step(args)(.step(args))*.
// first, when non-nil, is an already parsed first instruction.
func (p *parser) parseAnonChain(first *value.Instruction) (*value.Bytecode, error) {
	bc := &value.Bytecode{}
	if first != nil {
		bc.Steps = append(bc.Steps, *first)
	} else {
		st := p.peek()
		if st.kind != tIdent {
			return nil, p.errf(st, "a step name")
		}
		ins, err := p.parseStep()
		if err != nil {
			return nil, err
		}
		bc.Steps = append(bc.Steps, ins)
	}
	for p.peek().kind == tDot && p.peekAt(1).kind == tIdent {
		p.next()
		ins, err := p.parseStep()
		if err != nil {
			return nil, err
		}
		bc.Steps = append(bc.Steps, ins)
	}
	return bc, nil
}

// parseNot handles a bare not(...): P.not when its argument is a
// predicate, otherwise the not() step starting an anonymous traversal.
func (p *parser) parseNot() (any, error) {
	t := p.next()
	args, err := p.parseCallArgs(t, ctxStep)
	if err != nil {
		return nil, err
	}
	if len(args) == 1 {
		if inner, ok := args[0].v.(*value.P); ok {
			return p.predicateChain(&value.P{Operator: "not", Values: []any{inner}, Text: inner.Text})
		}
	}
	ins, err := p.buildStep(t, args)
	if err != nil {
		return nil, err
	}
	return p.parseAnonChain(&ins)
}

// parsePredicate parses the arguments of predicate mt (already consumed)
// and any .and()/.or()/.negate() that follow.
func (p *parser) parsePredicate(mt token) (any, error) {
	info := predicates[mt.text]
	args, err := p.parseCallArgs(mt, ctxStep)
	if err != nil {
		return nil, err
	}
	vals := argValues(args)
	switch {
	case mt.text == "within" || mt.text == "without":
		if len(vals) == 1 {
			switch c := vals[0].(type) {
			case []any:
				vals = append([]any{}, c...)
			case *value.Set:
				vals = append([]any{}, c.Items()...)
			}
		}
	case mt.text == "not":
		if len(vals) != 1 {
			return nil, checkArity(mt, len(vals), [2]int{1, 1})
		}
		if _, ok := vals[0].(*value.P); !ok {
			return nil, argErr(args[0], "a predicate inside not()")
		}
	default:
		if err := checkArity(mt, len(vals), [2]int{info.arity, info.arity}); err != nil {
			return nil, err
		}
		if info.text && !isKind(vals[0], kString) {
			return nil, argErr(args[0], "a string for TextP."+mt.text+"()")
		}
		if mt.text == "typeOf" && !isEnumOf(vals[0], "GType") && !isKind(vals[0], kString) {
			return nil, argErr(args[0], "a GType (e.g. GType.INT) or type name for typeOf()")
		}
	}
	if vals == nil {
		vals = []any{}
	}
	return p.predicateChain(&value.P{Operator: mt.text, Values: vals, Text: info.text})
}

// maxPredicateChain bounds the .and()/.or() links of one predicate: each
// link nests the predicate one level deeper, and everything that walks a
// predicate (formatting, planning, evaluation) pays for the depth.
const maxPredicateChain = 1000

// predicateChain applies .and(P), .or(P) and .negate() suffixes.
func (p *parser) predicateChain(pr *value.P) (any, error) {
	links := 0
	for p.peek().kind == tDot && p.peekAt(1).kind == tIdent {
		mt := p.peekAt(1)
		switch mt.text {
		case "and", "or":
			if links++; links > maxPredicateChain {
				return nil, &SyntaxError{Line: mt.line, Column: mt.col,
					Found:    fmt.Sprintf("a predicate chaining more than %d and()/or() links", maxPredicateChain),
					Expected: "fewer links (use P.within() for many alternatives)"}
			}
			p.next()
			p.next()
			args, err := p.parseCallArgs(mt, ctxStep)
			if err != nil {
				return nil, err
			}
			if len(args) != 1 {
				return nil, checkArity(mt, len(args), [2]int{1, 1})
			}
			other, ok := args[0].v.(*value.P)
			if !ok {
				return nil, argErr(args[0], "a predicate inside "+mt.text+"()")
			}
			pr = &value.P{Operator: mt.text, Values: []any{pr, other}, Text: pr.Text}
		case "negate":
			p.next()
			p.next()
			if err := p.emptyParens("negate"); err != nil {
				return nil, err
			}
			pr = Negate(pr)
		default:
			return nil, p.errf(mt, "and(), or() or negate() after a predicate")
		}
	}
	return pr, nil
}

var negations = map[string]string{
	"eq": "neq", "neq": "eq", "lt": "gte", "gte": "lt", "gt": "lte", "lte": "gt",
	"within": "without", "without": "within",
	"containing": "notContaining", "notContaining": "containing",
	"startingWith": "notStartingWith", "notStartingWith": "startingWith",
	"endingWith": "notEndingWith", "notEndingWith": "endingWith",
	"regex": "notRegex", "notRegex": "regex",
}

// Negate returns the predicate P.negate() yields in TinkerPop: the
// complementary comparison, De Morgan for and/or, and the range
// predicates rewritten as their complements (between(a,b) → lt(a) or
// gte(b); inside(a,b) → lte(a) or gte(b); outside(a,b) → gte(a) and
// lte(b)). not(x) negates to x; typeOf negates to not(typeOf).
func Negate(pr *value.P) *value.P {
	if n, ok := negations[pr.Operator]; ok {
		return &value.P{Operator: n, Values: pr.Values, Text: pr.Text}
	}
	two := func(op, a, b string) *value.P {
		var x, y any
		if len(pr.Values) == 2 {
			x, y = pr.Values[0], pr.Values[1]
		}
		return &value.P{Operator: op, Values: []any{
			&value.P{Operator: a, Values: []any{x}},
			&value.P{Operator: b, Values: []any{y}},
		}}
	}
	switch pr.Operator {
	case "and", "or":
		op := "or"
		if pr.Operator == "or" {
			op = "and"
		}
		vals := make([]any, len(pr.Values))
		for i, v := range pr.Values {
			if q, ok := v.(*value.P); ok {
				vals[i] = Negate(q)
			} else {
				vals[i] = v
			}
		}
		return &value.P{Operator: op, Values: vals, Text: pr.Text}
	case "not":
		if len(pr.Values) == 1 {
			if q, ok := pr.Values[0].(*value.P); ok {
				return q
			}
		}
	case "between":
		return two("or", "lt", "gte")
	case "inside":
		return two("or", "lte", "gte")
	case "outside":
		return two("and", "gte", "lte")
	}
	return &value.P{Operator: "not", Values: []any{pr}, Text: pr.Text}
}

// parseCardinalityValue parses the (value) of single(x)/list(x)/set(x),
// producing the CardinalityValueTraversal bytecode gremlin-go sends.
func (p *parser) parseCardinalityValue(mt token, card value.Enum) (any, error) {
	args, err := p.parseCallArgs(mt, ctxStep)
	if err != nil {
		return nil, err
	}
	if len(args) != 1 {
		return nil, checkArity(mt, len(args), [2]int{1, 1})
	}
	return CardinalityValue(card.Name, args[0].v), nil
}

// CardinalityValue builds the bytecode form of Cardinality.single(v),
// list(v) or set(v): a source instruction "CardinalityValueTraversal"
// with the Cardinality enum and the value, as gremlin-go sends it.
func CardinalityValue(card string, v any) *value.Bytecode {
	return &value.Bytecode{Sources: []value.Instruction{{
		Operator: "CardinalityValueTraversal",
		Args:     []any{value.Enum{Type: "Cardinality", Name: card}, v},
	}}}
}

// IsCardinalityValue reports whether b is a CardinalityValue (see
// CardinalityValue) and returns its parts.
func IsCardinalityValue(b *value.Bytecode) (card string, v any, ok bool) {
	if b == nil || len(b.Steps) != 0 || len(b.Sources) != 1 || b.Sources[0].Operator != "CardinalityValueTraversal" || len(b.Sources[0].Args) != 2 {
		return "", nil, false
	}
	e, ok := b.Sources[0].Args[0].(value.Enum)
	if !ok {
		return "", nil, false
	}
	return e.Name, b.Sources[0].Args[1], true
}

func (p *parser) parseVertex() (any, error) {
	mt := p.next()
	args, err := p.parseCallArgs(mt, ctxStep)
	if err != nil {
		return nil, err
	}
	if len(args) < 1 || len(args) > 2 {
		return nil, checkArity(mt, len(args), [2]int{1, 2})
	}
	v := &value.Vertex{ID: args[0].v, Label: "vertex"}
	if len(args) == 2 {
		s, ok := args[1].v.(string)
		if !ok {
			return nil, argErr(args[1], "a string label for "+mt.text+"()")
		}
		v.Label = s
	}
	return v, nil
}

func (p *parser) parseDatetime() (any, error) {
	mt := p.next()
	args, err := p.parseCallArgs(mt, ctxStep)
	if err != nil {
		return nil, err
	}
	switch len(args) {
	case 0:
		return time.Now().UTC(), nil
	case 1:
		s, ok := args[0].v.(string)
		if !ok {
			if b, isB := args[0].v.(value.Binding); isB {
				return nil, argErr(args[0], "a string literal for datetime() (variable "+b.Key+" cannot be used here)")
			}
			return nil, argErr(args[0], "a date-time string for datetime()")
		}
		tm, ok := ParseDatetime(s)
		if !ok {
			return nil, argErr(args[0], "an ISO-8601 date-time such as \"2023-08-01T00:00:00Z\"")
		}
		return tm, nil
	}
	return nil, checkArity(mt, len(args), [2]int{0, 1})
}

var datetimeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02Z07:00",
	"2006-01-02",
}

// ParseDatetime parses the date-time forms datetime() accepts: ISO-8601
// date-times with or without offset and fractional seconds, and plain
// dates. A missing offset means UTC.
func ParseDatetime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range datetimeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func (p *parser) parseUUID() (any, error) {
	mt := p.next()
	args, err := p.parseCallArgs(mt, ctxStep)
	if err != nil {
		return nil, err
	}
	switch len(args) {
	case 0:
		return uuid.New(), nil
	case 1:
		s, ok := args[0].v.(string)
		if !ok {
			return nil, argErr(args[0], "a UUID string for UUID()")
		}
		u, err := uuid.Parse(s)
		if err != nil || len(s) != 36 {
			return nil, argErr(args[0], "a UUID in the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")
		}
		return u, nil
	}
	return nil, checkArity(mt, len(args), [2]int{0, 1})
}

// parseListOrMap parses [..] as a list, a map ([k: v, ...] or [:]).
func (p *parser) parseListOrMap() (any, error) {
	open := p.next()
	if p.peek().kind == tColon && p.peekAt(1).kind == tRBrack {
		p.next()
		p.next()
		return value.NewMap(), nil
	}
	if p.peek().kind == tRBrack {
		p.next()
		return []any{}, nil
	}
	// decide by the first entry
	k, isKey, err := p.parseMapKeyOrElem()
	if err != nil {
		return nil, err
	}
	if p.peek().kind == tColon {
		m := value.NewMap()
		for {
			if _, err := p.expect(tColon, "':' after the map key"); err != nil {
				return nil, err
			}
			v, err := p.parseArg()
			if err != nil {
				return nil, err
			}
			m.Put(k, v)
			t := p.peek()
			if t.kind == tRBrack {
				p.next()
				return m, nil
			}
			if t.kind != tComma {
				return nil, p.errf(t, "',' or ']' in the map")
			}
			p.next()
			k, _, err = p.parseMapKeyOrElem()
			if err != nil {
				return nil, err
			}
		}
	}
	if isKey {
		// a bare identifier used as an element is a variable
		k = value.Binding{Key: k.(string)}
		if e, ok := bareEnums[k.(value.Binding).Key]; ok {
			k = e
		}
	}
	list := []any{k}
	for {
		t := p.peek()
		if t.kind == tRBrack {
			p.next()
			return list, nil
		}
		if t.kind == tArrow {
			return nil, p.lambdaErr(open)
		}
		if t.kind != tComma {
			return nil, p.errf(t, "',' or ']' in the list")
		}
		p.next()
		v, err := p.parseArg()
		if err != nil {
			return nil, err
		}
		list = append(list, v)
	}
}

// parseMapKeyOrElem parses a list element or a map key. A bare
// identifier directly followed by ':' is a string key (Groovy semantics:
// [name: "x"] has the key "name"); isKey then reports that the result is
// such a naked name. A parenthesised key "(T.id)" is evaluated.
func (p *parser) parseMapKeyOrElem() (any, bool, error) {
	t := p.peek()
	if t.kind == tIdent && p.peekAt(1).kind == tColon {
		p.next()
		return t.text, true, nil
	}
	if t.kind == tLParen {
		p.next()
		v, err := p.parseArg()
		if err != nil {
			return nil, false, err
		}
		if _, err := p.expect(tRParen, "')' closing the map key"); err != nil {
			return nil, false, err
		}
		if p.peek().kind != tColon {
			return nil, false, p.errf(p.peek(), "':' after a parenthesised map key")
		}
		return v, false, nil
	}
	v, err := p.parseArg()
	return v, false, err
}

// parseSetOrLambda parses {a, b} as a set, and reports closures such as
// { it.get() } or { x -> x } as lambdas.
func (p *parser) parseSetOrLambda() (any, error) {
	open := p.peek()
	save := p.i
	if p.closureLike() {
		return nil, p.lambdaErr(open)
	}
	p.next()
	s := value.NewSet()
	if p.peek().kind == tRBrace {
		p.next()
		return s, nil
	}
	for {
		v, err := p.parseArg()
		if err != nil {
			if p.bracesBalanced(save) {
				return nil, p.lambdaErr(open)
			}
			return nil, err
		}
		s.Add(v)
		t := p.peek()
		if t.kind == tRBrace {
			p.next()
			return s, nil
		}
		if t.kind != tComma {
			if p.bracesBalanced(save) && t.kind != tEOF {
				return nil, p.lambdaErr(open)
			}
			return nil, p.errf(t, "',' or '}' in the set")
		}
		p.next()
	}
}

// closureLike reports whether the brace group starting at the current
// token contains Groovy closure syntax: "->", "it" or an operator.
func (p *parser) closureLike() bool {
	depth := 0
	for j := p.i; j < len(p.toks); j++ {
		t := p.toks[j]
		switch t.kind {
		case tLBrace:
			depth++
		case tRBrace:
			depth--
			if depth == 0 {
				return false
			}
		case tArrow, tOther, tAssign, tSemi:
			return true
		case tIdent:
			if t.text == "it" && depth > 0 {
				return true
			}
		case tEOF:
			return false
		}
	}
	return false
}

// bracesBalanced reports whether the '{' at index from has a matching '}'.
func (p *parser) bracesBalanced(from int) bool {
	depth := 0
	for j := from; j < len(p.toks); j++ {
		switch p.toks[j].kind {
		case tLBrace:
			depth++
		case tRBrace:
			depth--
			if depth == 0 {
				return true
			}
		}
	}
	return false
}

// ---------------------------------------------------------------- numbers

// intLiteral converts an integer token following Java's rules: suffix b
// (Byte → int8), s (Short → int16), i (Integer → int32), l (Long →
// int64), n (BigInteger → *big.Int); without suffix the smallest of
// Integer, Long, BigInteger that holds the value.
func intLiteral(t token) (any, error) {
	text := strings.ReplaceAll(strings.ToLower(t.text), "_", "")
	suffix := byte(0)
	if c := text[len(text)-1]; strings.IndexByte("bsiln", c) >= 0 && !(strings.Contains(text, "0x") && c == 'b') {
		suffix = c
		text = text[:len(text)-1]
	}
	neg := false
	body := text
	if body[0] == '-' || body[0] == '+' {
		neg = body[0] == '-'
		body = body[1:]
	}
	base := 10
	switch {
	case strings.HasPrefix(body, "0x"):
		base = 16
		body = body[2:]
	case len(body) > 1 && body[0] == '0':
		base = 8
		body = body[1:]
	}
	n, ok := new(big.Int).SetString(body, base)
	if !ok {
		what := "a decimal integer"
		if base == 8 {
			what = "an octal integer (digits 0-7 after a leading 0)"
		}
		return nil, &SyntaxError{Line: t.line, Column: t.col, Found: "'" + t.text + "'", Expected: what}
	}
	if neg {
		n.Neg(n)
	}
	rangeErr := func(typ, lo, hi string) error {
		article := "a "
		if typ == "int" {
			article = "an "
		}
		return &SyntaxError{Line: t.line, Column: t.col, Found: "'" + t.text + "'", Expected: article + typ + " literal in the range " + lo + ".." + hi}
	}
	switch suffix {
	case 'b':
		if !n.IsInt64() || n.Int64() < math.MinInt8 || n.Int64() > math.MaxInt8 {
			return nil, rangeErr("byte", "-128", "127")
		}
		return int8(n.Int64()), nil
	case 's':
		if !n.IsInt64() || n.Int64() < math.MinInt16 || n.Int64() > math.MaxInt16 {
			return nil, rangeErr("short", "-32768", "32767")
		}
		return int16(n.Int64()), nil
	case 'i':
		if !n.IsInt64() || n.Int64() < math.MinInt32 || n.Int64() > math.MaxInt32 {
			return nil, rangeErr("int", "-2147483648", "2147483647")
		}
		return int32(n.Int64()), nil
	case 'l':
		if !n.IsInt64() {
			return nil, rangeErr("long", "-9223372036854775808", "9223372036854775807")
		}
		return n.Int64(), nil
	case 'n':
		return n, nil
	}
	if n.IsInt64() {
		v := n.Int64()
		if v >= math.MinInt32 && v <= math.MaxInt32 {
			return int32(v), nil
		}
		return v, nil
	}
	return n, nil
}

// MaxDecimalScale bounds the scale of a BigDecimal literal: a value such
// as 1e99999999m would take minutes to print or compute with, as its
// digits are spelled out.
const MaxDecimalScale = 10000

// floatLiteral converts a floating point token: suffix f → float32,
// d or none → float64, m → BigDecimal; ±Infinity → float64.
func floatLiteral(t token) (any, error) {
	text := strings.ReplaceAll(t.text, "_", "")
	switch text {
	case "+Infinity", "Infinity":
		return math.Inf(1), nil
	case "-Infinity":
		return math.Inf(-1), nil
	}
	last := text[len(text)-1]
	switch last {
	case 'm', 'M':
		d, err := value.ParseBigDecimal(text[:len(text)-1])
		if err != nil {
			return nil, &SyntaxError{Line: t.line, Column: t.col, Found: "'" + t.text + "'", Expected: "a BigDecimal literal"}
		}
		if d.Scale > MaxDecimalScale || d.Scale < -MaxDecimalScale {
			return nil, &SyntaxError{Line: t.line, Column: t.col, Found: "'" + t.text + "'",
				Expected: fmt.Sprintf("a BigDecimal literal whose exponent keeps its scale within ±%d", MaxDecimalScale)}
		}
		return d, nil
	case 'f', 'F':
		f, err := strconv.ParseFloat(text[:len(text)-1], 32)
		if err != nil && !isRangeErr(err) {
			return nil, &SyntaxError{Line: t.line, Column: t.col, Found: "'" + t.text + "'", Expected: "a float literal"}
		}
		return float32(f), nil
	case 'd', 'D':
		text = text[:len(text)-1]
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil && !isRangeErr(err) {
		return nil, &SyntaxError{Line: t.line, Column: t.col, Found: "'" + t.text + "'", Expected: "a double literal"}
	}
	return f, nil
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

func toInt64(v any) (int64, bool) {
	switch x := v.(type) {
	case int8:
		return int64(x), true
	case int16:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case *big.Int:
		if x.IsInt64() {
			return x.Int64(), true
		}
	}
	return 0, false
}

package lang

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// maxDepth bounds the nesting of arguments, lists and traversals so that
// hostile scripts cannot exhaust the stack.
const maxDepth = 300

// Parse parses a gremlin-lang script: statements separated by ';' or new
// lines. It never evaluates anything. Errors are *SyntaxError or
// *LambdaError.
func Parse(script string) (*Script, error) {
	toks, err := lex(script)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	return p.parseScript()
}

// ParseTraversal parses a script holding exactly one traversal
// ("g.V().out()", optionally ending in a terminal method, which is
// dropped) and returns its source name and bytecode.
func ParseTraversal(s string) (string, *value.Bytecode, error) {
	sc, err := Parse(s)
	if err != nil {
		return "", nil, err
	}
	if len(sc.Statements) != 1 {
		return "", nil, fmt.Errorf("expected one traversal, found %d statements", len(sc.Statements))
	}
	st := sc.Statements[0]
	if st.Var != "" {
		return "", nil, &SyntaxError{Line: st.Line, Column: st.Col, Found: "an assignment", Expected: "a traversal"}
	}
	switch e := st.Expr.(type) {
	case *Traversal:
		return e.Source, e.Bytecode, nil
	case *SourceExpr:
		return "", nil, &SyntaxError{Line: st.Line, Column: st.Col, Found: "a traversal source without a start step", Expected: "a traversal such as " + e.Source + ".V()"}
	default:
		return "", nil, &SyntaxError{Line: st.Line, Column: st.Col, Found: "a " + exprKind(e), Expected: "a traversal"}
	}
}

func exprKind(e Expr) string {
	switch e.(type) {
	case *VarRef:
		return "variable reference"
	case *Literal:
		return "literal"
	case *TxExpr:
		return "transaction call"
	case *EmptyQuery:
		return "empty query"
	}
	return "expression"
}

type parser struct {
	toks  []token
	i     int
	depth int
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) peekAt(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}
func (p *parser) next() token {
	t := p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

func (p *parser) errf(t token, expected string, args ...any) error {
	return &SyntaxError{Line: t.line, Column: t.col, Found: t.describe(), Expected: fmt.Sprintf(expected, args...)}
}

func (p *parser) expect(k tokKind, expected string) (token, error) {
	t := p.peek()
	if t.kind != k {
		if t.kind == tArrow {
			return t, p.lambdaErr(t)
		}
		return t, p.errf(t, "%s", expected)
	}
	return p.next(), nil
}

func (p *parser) isIdent(n int, name string) bool {
	t := p.peekAt(n)
	return t.kind == tIdent && t.text == name
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		t := p.peek()
		return &SyntaxError{Line: t.line, Column: t.col, Found: "nesting deeper than " + fmt.Sprint(maxDepth) + " levels", Expected: "a less deeply nested script"}
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

func (p *parser) lambdaErr(t token) error {
	src := p.srcText(t)
	if r := []rune(src); len(r) > 40 {
		src = string(r[:40]) + "..."
	}
	return &LambdaError{Line: t.line, Column: t.col, Text: "'" + src + "'"}
}

// srcText returns the source from token t to the end of its line, for
// error messages.
func (p *parser) srcText(t token) string {
	var b strings.Builder
	for j := range p.toks {
		if p.toks[j].off < t.off {
			continue
		}
		if p.toks[j].kind == tEOF || (p.toks[j].nl && p.toks[j].off > t.off) {
			break
		}
		if b.Len() > 0 && p.toks[j].off > p.toks[j-1].off+len(p.toks[j-1].text) {
			b.WriteByte(' ')
		}
		b.WriteString(p.toks[j].text)
		if b.Len() > 60 {
			break
		}
	}
	return b.String()
}

// ---------------------------------------------------------------- statements

func (p *parser) parseScript() (*Script, error) {
	sc := &Script{}
	for {
		for p.peek().kind == tSemi {
			p.next()
		}
		if p.peek().kind == tEOF {
			return sc, nil
		}
		st, err := p.parseStatement()
		if err != nil {
			return nil, err
		}
		sc.Statements = append(sc.Statements, st)
		t := p.peek()
		switch {
		case t.kind == tSemi:
			p.next()
		case t.kind == tEOF || t.nl:
		case t.kind == tArrow:
			return nil, p.lambdaErr(t)
		default:
			return nil, p.errf(t, "';', a new line or the end of the script")
		}
	}
}

func (p *parser) parseStatement() (*Statement, error) {
	first := p.peek()
	st := &Statement{Line: first.line, Col: first.col}
	if p.isIdent(0, "def") && p.peekAt(1).kind == tIdent {
		p.next()
		st.Def = true
		name := p.next()
		if _, err := p.expect(tAssign, "'=' after the variable name"); err != nil {
			return nil, err
		}
		st.Var = name.text
	} else if first.kind == tIdent && p.peekAt(1).kind == tAssign {
		if reservedName(first.text) {
			return nil, p.errf(first, "a variable name (%q is reserved)", first.text)
		}
		p.next()
		p.next()
		st.Var = first.text
	}
	if st.Var != "" && reservedName(st.Var) {
		return nil, &SyntaxError{Line: first.line, Column: first.col, Found: "'" + st.Var + "'", Expected: "a variable name that is not reserved"}
	}
	e, err := p.parseExpr()
	if err != nil {
		return nil, err
	}
	st.Expr = e
	return st, nil
}

// reservedName reports names that cannot be assigned to.
func reservedName(s string) bool {
	switch s {
	case "true", "false", "null", "NaN", "Infinity", "new", "def", "__":
		return true
	}
	return false
}

// parseExpr parses the right-hand side of a statement.
func (p *parser) parseExpr() (Expr, error) {
	t := p.peek()
	if t.kind == tString && t.val == "" {
		nt := p.peekAt(1)
		if nt.kind == tEOF || nt.kind == tSemi || nt.nl {
			p.next()
			return &EmptyQuery{}, nil
		}
	}
	if t.kind == tIdent && p.peekAt(1).kind == tDot && p.peekAt(2).kind == tIdent && isSourceName(t.text) {
		return p.parseSourceChain(false)
	}
	if t.kind == tIdent && !isReservedWord(t.text) && p.peekAt(1).kind != tLParen && p.peekAt(1).kind != tDot {
		if _, ok := bareEnums[t.text]; !ok {
			p.next()
			return &VarRef{Name: t.text}, nil
		}
	}
	v, err := p.parseArg()
	if err != nil {
		return nil, err
	}
	return &Literal{Value: v}, nil
}

// isSourceName reports whether an identifier followed by '.' starts a
// traversal source rather than a qualified constant (T.id, P.eq, __.out).
func isSourceName(s string) bool {
	if _, ok := enums[s]; ok {
		return false
	}
	if _, ok := constants[s]; ok {
		return false
	}
	switch s {
	case "__", "P", "TextP", "Lambda", "new":
		return false
	}
	return !isReservedWord(s)
}

func isReservedWord(s string) bool {
	switch s {
	case "true", "false", "null", "NaN", "Infinity", "new":
		return true
	}
	return false
}

// parseSourceChain parses "g[.withX(..)]*[.spawn(..)[.step(..)]*][.terminal()]"
// or "graph.traversal()...". When asArg is set the traversal appears as an
// argument and must end with a terminal method.
func (p *parser) parseSourceChain(asArg bool) (Expr, error) {
	srcTok := p.next()
	bc := &value.Bytecode{}
	fromGraph := false
	toString := false
	for p.peek().kind == tDot {
		dot := p.next()
		mt := p.peek()
		if mt.kind != tIdent {
			return nil, p.errf(mt, "a traversal source method after '.'")
		}
		name := mt.text
		switch {
		case name == "traversal" && !fromGraph && len(bc.Sources) == 0 && p.peekAt(1).kind == tLParen:
			p.next()
			if _, err := p.expect(tLParen, "'('"); err != nil {
				return nil, err
			}
			if _, err := p.expect(tRParen, "')' (traversal() takes no arguments)"); err != nil {
				return nil, err
			}
			fromGraph = true
		case name == "tx" && p.peekAt(1).kind == tLParen:
			return p.parseTx(srcTok.text, fromGraph, bc)
		case name == "toString" && p.peekAt(1).kind == tLParen && !asArg:
			p.next()
			if err := p.emptyParens("toString"); err != nil {
				return nil, err
			}
			toString = true
		case hasKey(sourceConfigArity, name):
			p.next()
			if err := p.parseSourceConfig(name, mt, bc); err != nil {
				return nil, err
			}
		case hasKey(sourceSpawnArity, name):
			if toString {
				return nil, p.errf(dot, "the end of the statement after toString()")
			}
			return p.parseSpawned(srcTok.text, fromGraph, bc, asArg)
		default:
			if _, isStep := stepArity[name]; isStep {
				return nil, p.errf(mt, "a traversal source method (%s is a step, not a way to start a traversal from %s)", name, srcTok.text)
			}
			return nil, p.errf(mt, "a traversal source method (one of %s)", sourceMethodList())
		}
		if toString {
			break
		}
	}
	if asArg {
		return nil, p.errf(p.peek(), "a spawned traversal ending in a terminal method such as next()")
	}
	if !fromGraph && len(bc.Sources) == 0 && !toString {
		// a lone identifier with nothing after it is handled by parseExpr
		return nil, p.errf(p.peek(), "a traversal source method")
	}
	return &SourceExpr{Source: srcTok.text, FromGraph: fromGraph, Bytecode: bc, ToString: toString}, nil
}

func sourceMethodList() string {
	var names []string
	for n := range sourceSpawnArity {
		names = append(names, n)
	}
	for n := range sourceConfigArity {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func (p *parser) emptyParens(method string) error {
	if _, err := p.expect(tLParen, "'('"); err != nil {
		return err
	}
	if _, err := p.expect(tRParen, "')' ("+method+"() takes no arguments)"); err != nil {
		return err
	}
	return nil
}

func (p *parser) parseTx(src string, fromGraph bool, bc *value.Bytecode) (Expr, error) {
	p.next() // tx
	if err := p.emptyParens("tx"); err != nil {
		return nil, err
	}
	if _, err := p.expect(tDot, "'.begin()', '.commit()' or '.rollback()' after tx()"); err != nil {
		return nil, err
	}
	at := p.peek()
	if at.kind != tIdent || (at.text != "begin" && at.text != "commit" && at.text != "rollback") {
		return nil, p.errf(at, "begin, commit or rollback after tx()")
	}
	p.next()
	if err := p.emptyParens(at.text); err != nil {
		return nil, err
	}
	return &TxExpr{Source: src, FromGraph: fromGraph, Bytecode: bc, Action: at.text}, nil
}

// parseSpawned parses a spawn step and the rest of a root traversal.
func (p *parser) parseSpawned(src string, fromGraph bool, bc *value.Bytecode, asArg bool) (Expr, error) {
	mt := p.next()
	args, err := p.parseCallArgs(mt, ctxStep)
	if err != nil {
		return nil, err
	}
	ins, err := p.buildSourceSpawn(mt, args)
	if err != nil {
		return nil, err
	}
	bc.Steps = append(bc.Steps, ins)
	tr := &Traversal{Source: src, FromGraph: fromGraph, Bytecode: bc}
	for p.peek().kind == tDot {
		p.next()
		st := p.peek()
		if st.kind != tIdent {
			return nil, p.errf(st, "a step name after '.'")
		}
		if terminalMethods[st.text] {
			term, err := p.parseTerminal()
			if err != nil {
				return nil, err
			}
			tr.Terminal = term
			break
		}
		if st.text == "toString" && !asArg {
			p.next()
			if err := p.emptyParens("toString"); err != nil {
				return nil, err
			}
			tr.ToString = true
			break
		}
		ins, err := p.parseStep()
		if err != nil {
			return nil, err
		}
		bc.Steps = append(bc.Steps, ins)
	}
	if tr.Terminal != nil && !asArg && p.peek().kind == tDot && p.isIdent(1, "toString") {
		p.next()
		p.next()
		if err := p.emptyParens("toString"); err != nil {
			return nil, err
		}
		tr.ToString = true
	}
	if tr.Terminal != nil && p.peek().kind == tDot {
		return nil, p.errf(p.peek(), "the end of the statement after the terminal method %s()", tr.Terminal.Name)
	}
	if asArg && tr.Terminal == nil {
		return nil, p.errf(p.peek(), "a terminal method such as .next() or .toList() (a traversal from %s inside an argument must be terminated)", src)
	}
	return tr, nil
}

func (p *parser) parseTerminal() (*Terminal, error) {
	mt := p.next()
	term := &Terminal{Name: mt.text, Count: -1}
	if _, err := p.expect(tLParen, "'(' after "+mt.text); err != nil {
		return nil, err
	}
	if mt.text == "next" && p.peek().kind == tInt {
		it := p.next()
		n, err := intLiteral(it)
		if err != nil {
			return nil, err
		}
		c, ok := toInt64(n)
		if !ok || c < 0 {
			return nil, p.errf(it, "a non-negative count for next(n)")
		}
		term.Count = c
	}
	if _, err := p.expect(tRParen, "')' ("+terminalUsage(mt.text)+")"); err != nil {
		return nil, err
	}
	return term, nil
}

func terminalUsage(m string) string {
	if m == "next" {
		return "next() takes no argument or an integer count"
	}
	return m + "() takes no arguments"
}

// parseStep parses "name(args)" for a GraphTraversal step.
func (p *parser) parseStep() (value.Instruction, error) {
	mt := p.peek()
	if _, ok := stepArity[mt.text]; !ok {
		if terminalMethods[mt.text] {
			return value.Instruction{}, p.errf(mt, "a step (%s() is a terminal method, allowed only at the end of a traversal spawned from a source)", mt.text)
		}
		if mt.text == "toString" {
			return value.Instruction{}, p.errf(mt, "a step (toString() is only allowed at the end of a statement)")
		}
		if hasKey(sourceConfigArity, mt.text) {
			return value.Instruction{}, p.errf(mt, "a step (%s() configures a traversal source and must come before the start step)", mt.text)
		}
		return value.Instruction{}, p.errf(mt, "a step name (%s is not a Gremlin step)", mt.describe())
	}
	p.next()
	if p.peek().kind == tLBrace {
		return value.Instruction{}, p.lambdaErr(p.peek())
	}
	if p.peek().kind != tLParen {
		return value.Instruction{}, p.errf(p.peek(), "'(' after %s", mt.text)
	}
	args, err := p.parseCallArgs(mt, ctxStep)
	if err != nil {
		return value.Instruction{}, err
	}
	return p.buildStep(mt, args)
}

type argCtx int

const (
	ctxStep argCtx = iota
	ctxStrategies
	ctxClasses
)

// arg is one parsed argument with the token it started at.
type arg struct {
	v   any
	tok token
}

// parseCallArgs parses "( arg, arg, ... )".
func (p *parser) parseCallArgs(method token, ctx argCtx) ([]arg, error) {
	if _, err := p.expect(tLParen, "'(' after "+method.text); err != nil {
		return nil, err
	}
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	var args []arg
	if p.peek().kind == tRParen {
		p.next()
		return args, nil
	}
	for {
		start := p.peek()
		var v any
		var err error
		switch ctx {
		case ctxStrategies:
			v, err = p.parseStrategy()
		case ctxClasses:
			v, err = p.parseClass()
		default:
			v, err = p.parseArg()
		}
		if err != nil {
			return nil, err
		}
		args = append(args, arg{v: v, tok: start})
		t := p.peek()
		switch t.kind {
		case tComma:
			p.next()
			continue
		case tRParen:
			p.next()
			return args, nil
		case tArrow:
			return nil, p.lambdaErr(start)
		default:
			return nil, p.errf(t, "',' or ')' in the arguments of %s", method.text)
		}
	}
}

// ---------------------------------------------------------------- source

func (p *parser) parseSourceConfig(name string, mt token, bc *value.Bytecode) error {
	ctx := ctxStep
	switch name {
	case "withStrategies":
		ctx = ctxStrategies
	case "withoutStrategies":
		ctx = ctxClasses
	}
	args, err := p.parseCallArgs(mt, ctx)
	if err != nil {
		return err
	}
	ar := sourceConfigArity[name]
	if err := checkArity(mt, len(args), ar); err != nil {
		return err
	}
	vals := argValues(args)
	switch name {
	case "with":
		key, ok := args[0].v.(string)
		if !ok {
			if _, isB := args[0].v.(value.Binding); !isB {
				return argErr(args[0], "a string key for with()")
			}
		}
		var val any = true
		if len(args) == 2 {
			val = args[1].v
		}
		if !ok {
			// a bound key cannot be folded into OptionsStrategy now
			bc.Sources = append(bc.Sources, value.Instruction{Operator: "with", Args: []any{args[0].v, val}})
			return nil
		}
		addOption(bc, key, val)
		return nil
	case "withBulk":
		if !isKind(args[0].v, kBool) {
			return argErr(args[0], "a boolean for withBulk()")
		}
	case "withSideEffect":
		if !isKind(args[0].v, kString) {
			return argErr(args[0], "a string side-effect key for withSideEffect()")
		}
		if len(args) == 3 && !isEnumOf(args[2].v, "Operator") {
			return argErr(args[2], "an Operator (e.g. Operator.sum) as the reducer of withSideEffect()")
		}
	case "withSack":
		if len(args) == 2 && !isEnumOf(args[1].v, "Operator") {
			return argErr(args[1], "an Operator (e.g. Operator.sum) as the merge function of withSack()")
		}
	}
	bc.Sources = append(bc.Sources, value.Instruction{Operator: name, Args: vals})
	return nil
}

// addOption folds g.with(key, value) into an OptionsStrategy, as the Java
// and Go drivers do: the first withStrategies(OptionsStrategy) instruction
// gets the key, or a new one is appended.
func addOption(bc *value.Bytecode, key string, val any) {
	cls := strategies["OptionsStrategy"]
	for _, ins := range bc.Sources {
		if ins.Operator != "withStrategies" || len(ins.Args) == 0 {
			continue
		}
		if s, ok := ins.Args[0].(value.Strategy); ok && s.Class == cls {
			s.Config.Put(key, val)
			return
		}
	}
	cfg := value.NewMap()
	cfg.Put(key, val)
	bc.Sources = append(bc.Sources, value.Instruction{Operator: "withStrategies", Args: []any{value.Strategy{Class: cls, Config: cfg}}})
}

// parseStrategy parses a withStrategies argument:
// [new] Name [( key: value, ... )].
func (p *parser) parseStrategy() (any, error) {
	if p.isIdent(0, "new") {
		p.next()
	}
	nt := p.peek()
	if nt.kind != tIdent {
		return nil, p.errf(nt, "a traversal strategy such as ReadOnlyStrategy or new PartitionStrategy(...)")
	}
	name := p.qualifiedName()
	cls, ok := strategyClass(name)
	if !ok {
		return nil, &SyntaxError{Line: nt.line, Column: nt.col, Found: "'" + name + "'", Expected: "a known traversal strategy (" + strategyList() + ")"}
	}
	cfg := value.NewMap()
	if p.peek().kind == tLParen {
		p.next()
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer p.leave()
		if p.peek().kind != tRParen {
			for {
				kt := p.peek()
				if kt.kind != tIdent || p.peekAt(1).kind != tColon {
					return nil, p.errf(kt, "a strategy configuration 'key: value'")
				}
				p.next()
				p.next()
				v, err := p.parseArg()
				if err != nil {
					return nil, err
				}
				cfg.Put(kt.text, v)
				if p.peek().kind == tComma {
					p.next()
					continue
				}
				break
			}
		}
		if _, err := p.expect(tRParen, "',' or ')' in the configuration of "+name); err != nil {
			return nil, err
		}
	}
	return value.Strategy{Class: cls, Config: cfg}, nil
}

// parseClass parses a withoutStrategies argument: a strategy class name.
func (p *parser) parseClass() (any, error) {
	nt := p.peek()
	if nt.kind != tIdent {
		return nil, p.errf(nt, "a traversal strategy class name such as ReadOnlyStrategy")
	}
	name := p.qualifiedName()
	cls, ok := strategyClass(name)
	if !ok {
		return nil, &SyntaxError{Line: nt.line, Column: nt.col, Found: "'" + name + "'", Expected: "a known traversal strategy (" + strategyList() + ")"}
	}
	return value.Class(cls), nil
}

// qualifiedName reads Ident(.Ident)* (a possibly package-qualified class).
func (p *parser) qualifiedName() string {
	name := p.next().text
	for p.peek().kind == tDot && p.peekAt(1).kind == tIdent {
		p.next()
		name += "." + p.next().text
	}
	return name
}

func strategyClass(name string) (string, bool) {
	if c, ok := strategies[name]; ok {
		return c, true
	}
	if strings.Contains(name, ".") {
		simple := name[strings.LastIndexByte(name, '.')+1:]
		if c, ok := strategies[simple]; ok && c == name {
			return c, true
		}
		// a fully qualified provider strategy is passed through
		if strings.HasSuffix(simple, "Strategy") {
			return name, true
		}
	}
	return "", false
}

func strategyList() string {
	names := make([]string, 0, len(strategies))
	for n := range strategies {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) > 6 {
		return strings.Join(names[:6], ", ") + ", ..."
	}
	return strings.Join(names, ", ")
}

func argValues(args []arg) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = a.v
	}
	return out
}

func argErr(a arg, expected string) error {
	found := a.tok.describe()
	return &SyntaxError{Line: a.tok.line, Column: a.tok.col, Found: found, Expected: expected}
}

func checkArity(mt token, n int, ar [2]int) error {
	if n >= ar[0] && (ar[1] < 0 || n <= ar[1]) {
		return nil
	}
	var want string
	switch {
	case ar[1] < 0:
		want = fmt.Sprintf("at least %d argument%s", ar[0], plural(ar[0]))
	case ar[0] == ar[1]:
		want = fmt.Sprintf("exactly %d argument%s", ar[0], plural(ar[0]))
	default:
		want = fmt.Sprintf("%d to %d arguments", ar[0], ar[1])
	}
	return &SyntaxError{Line: mt.line, Column: mt.col, Found: fmt.Sprintf("%s() with %d argument%s", mt.text, n, plural(n)),
		Expected: fmt.Sprintf("%s for %s()", want, mt.text)}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func hasKey(m map[string][2]int, k string) bool {
	_, ok := m[k]
	return ok
}

// IsLambda reports whether err reports a lambda.
func IsLambda(err error) bool { return errors.Is(err, ErrLambda) }

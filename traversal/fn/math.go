package fn

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// mathNode is a node of a parsed math() expression.
type mathNode interface {
	eval(vars map[string]float64) (float64, error)
}

type numNode float64

func (n numNode) eval(map[string]float64) (float64, error) { return float64(n), nil }

type varNode string

func (v varNode) eval(vars map[string]float64) (float64, error) {
	x, ok := vars[string(v)]
	if !ok {
		return 0, fmt.Errorf("math: variable %q has no value", string(v))
	}
	return x, nil
}

type unaryNode struct {
	neg bool
	x   mathNode
}

func (u unaryNode) eval(vars map[string]float64) (float64, error) {
	x, err := u.x.eval(vars)
	if u.neg {
		return -x, err
	}
	return x, err
}

type binNode struct {
	op   byte
	l, r mathNode
}

var errDivZero = errors.New("math: Division by zero!")

func (b binNode) eval(vars map[string]float64) (float64, error) {
	l, err := b.l.eval(vars)
	if err != nil {
		return 0, err
	}
	r, err := b.r.eval(vars)
	if err != nil {
		return 0, err
	}
	switch b.op {
	case '+':
		return l + r, nil
	case '-':
		return l - r, nil
	case '*':
		return l * r, nil
	case '/':
		if r == 0 {
			return 0, errDivZero
		}
		return l / r, nil
	case '%':
		if r == 0 {
			return 0, errDivZero
		}
		return math.Mod(l, r), nil
	}
	return math.Pow(l, r), nil
}

type callNode struct {
	name string
	fn   mathFunc
	args []mathNode
}

func (c callNode) eval(vars map[string]float64) (float64, error) {
	xs := make([]float64, len(c.args))
	for i, a := range c.args {
		v, err := a.eval(vars)
		if err != nil {
			return 0, err
		}
		xs[i] = v
	}
	return c.fn.f(xs), nil
}

type mathFunc struct {
	arity int
	f     func([]float64) float64
}

func f1(f func(float64) float64) mathFunc {
	return mathFunc{1, func(x []float64) float64 { return f(x[0]) }}
}

var mathFuncs = map[string]mathFunc{
	"abs":   f1(math.Abs),
	"acos":  f1(math.Acos),
	"asin":  f1(math.Asin),
	"atan":  f1(math.Atan),
	"cbrt":  f1(math.Cbrt),
	"ceil":  f1(math.Ceil),
	"cos":   f1(accurateCos),
	"cosh":  f1(math.Cosh),
	"cot":   f1(func(x float64) float64 { return 1 / accurateTan(x) }),
	"exp":   f1(math.Exp),
	"expm1": f1(math.Expm1),
	"floor": f1(math.Floor),
	"log":   f1(math.Log),
	"log10": f1(math.Log10),
	"log1p": f1(math.Log1p),
	"log2":  f1(math.Log2),
	"sin":   f1(accurateSin),
	"sinh":  f1(math.Sinh),
	"sqrt":  f1(math.Sqrt),
	"tan":   f1(accurateTan),
	"tanh":  f1(math.Tanh),
	"signum": f1(func(x float64) float64 {
		switch {
		case x > 0:
			return 1
		case x < 0:
			return -1
		}
		return x // keeps ±0 and NaN
	}),
	"toradian": f1(func(x float64) float64 { return x / 180 * math.Pi }),
	"todegree": f1(func(x float64) float64 { return x * 180 / math.Pi }),
	"pow":      {2, func(x []float64) float64 { return math.Pow(x[0], x[1]) }},
}

var mathConsts = map[string]float64{
	"pi": math.Pi, "π": math.Pi, "e": math.E, "φ": math.Phi,
}

func (m *MathExpr) eval(vars map[string]float64) (float64, error) {
	if m == nil || m.root == nil {
		return 0, errors.New("math: empty expression")
	}
	return m.root.eval(vars)
}

// ---- tokenizer ----

type mtokKind int

const (
	tNum mtokKind = iota
	tIdent
	tOp
	tLParen
	tRParen
	tComma
)

type mtok struct {
	kind mtokKind
	s    string
	num  float64
	pos  int
}

func isIdentStart(r rune) bool {
	return r == '_' || r == 'π' || r == 'φ' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
}

func isIdentPart(r rune) bool { return isIdentStart(r) || (r >= '0' && r <= '9') }

func tokenizeMath(src string) ([]mtok, error) {
	var toks []mtok
	rs := []rune(src)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			i++
		case (r >= '0' && r <= '9') || r == '.':
			j := i
			for j < len(rs) && ((rs[j] >= '0' && rs[j] <= '9') || rs[j] == '.') {
				j++
			}
			if j < len(rs) && (rs[j] == 'e' || rs[j] == 'E') {
				k := j + 1
				if k < len(rs) && (rs[k] == '+' || rs[k] == '-') {
					k++
				}
				if k < len(rs) && rs[k] >= '0' && rs[k] <= '9' {
					for k < len(rs) && rs[k] >= '0' && rs[k] <= '9' {
						k++
					}
					j = k
				}
			}
			f, err := strconv.ParseFloat(string(rs[i:j]), 64)
			if err != nil {
				return nil, fmt.Errorf("math: invalid number %q at position %d", string(rs[i:j]), i)
			}
			toks = append(toks, mtok{kind: tNum, num: f, s: string(rs[i:j]), pos: i})
			i = j
		case isIdentStart(r):
			j := i
			for j < len(rs) && isIdentPart(rs[j]) {
				j++
			}
			toks = append(toks, mtok{kind: tIdent, s: string(rs[i:j]), pos: i})
			i = j
		case strings.ContainsRune("+-*/%^", r):
			toks = append(toks, mtok{kind: tOp, s: string(r), pos: i})
			i++
		case r == '(':
			toks = append(toks, mtok{kind: tLParen, s: "(", pos: i})
			i++
		case r == ')':
			toks = append(toks, mtok{kind: tRParen, s: ")", pos: i})
			i++
		case r == ',':
			toks = append(toks, mtok{kind: tComma, s: ",", pos: i})
			i++
		default:
			return nil, fmt.Errorf("math: unexpected character %q at position %d", string(r), i)
		}
	}
	// implicit multiplication: "2x", "2(x)", "(a)(b)", "(a)b", "2 pi"
	out := make([]mtok, 0, len(toks))
	for i, t := range toks {
		if i > 0 {
			p := toks[i-1]
			prevVal := p.kind == tNum || p.kind == tRParen || (p.kind == tIdent && !isFuncName(p.s))
			nextVal := t.kind == tNum || t.kind == tIdent || t.kind == tLParen
			if prevVal && nextVal && !(p.kind == tNum && t.kind == tNum) {
				out = append(out, mtok{kind: tOp, s: "*", pos: t.pos})
			}
		}
		out = append(out, t)
	}
	return out, nil
}

func isFuncName(s string) bool { _, ok := mathFuncs[s]; return ok }

// ---- parser (precedence climbing) ----

type mathParser struct {
	toks []mtok
	i    int
	src  string
	vars []string
	seen map[string]bool
}

func parseMath(expr string) (*MathExpr, error) {
	toks, err := tokenizeMath(expr)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, errors.New("math: empty expression")
	}
	p := &mathParser{toks: toks, src: expr, seen: map[string]bool{}}
	root, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		t := p.toks[p.i]
		return nil, fmt.Errorf("math: unexpected %q at position %d in %q", t.s, t.pos, expr)
	}
	return &MathExpr{src: expr, root: root, vars: p.vars}, nil
}

func binPrec(op string) (prec int, right bool) {
	switch op {
	case "+", "-":
		return 1, false
	case "*", "/", "%":
		return 2, false
	case "^":
		return 4, true
	}
	return -1, false
}

const unaryPrec = 3 // between * and ^, as exp4j: -2^2 == -4

func (p *mathParser) peek() *mtok {
	if p.i < len(p.toks) {
		return &p.toks[p.i]
	}
	return nil
}

func (p *mathParser) expr(minPrec int) (mathNode, error) {
	left, err := p.unary()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t == nil || t.kind != tOp {
			return left, nil
		}
		prec, right := binPrec(t.s)
		if prec < minPrec {
			return left, nil
		}
		p.i++
		next := prec + 1
		if right {
			next = prec
		}
		rhs, err := p.expr(next)
		if err != nil {
			return nil, err
		}
		left = binNode{op: t.s[0], l: left, r: rhs}
	}
}

func (p *mathParser) unary() (mathNode, error) {
	t := p.peek()
	if t != nil && t.kind == tOp && (t.s == "-" || t.s == "+") {
		p.i++
		x, err := p.expr(unaryPrec)
		if err != nil {
			return nil, err
		}
		return unaryNode{neg: t.s == "-", x: x}, nil
	}
	return p.primary()
}

func (p *mathParser) primary() (mathNode, error) {
	t := p.peek()
	if t == nil {
		return nil, fmt.Errorf("math: unexpected end of expression %q", p.src)
	}
	p.i++
	switch t.kind {
	case tNum:
		return numNode(t.num), nil
	case tLParen:
		x, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		if c := p.peek(); c == nil || c.kind != tRParen {
			return nil, fmt.Errorf("math: missing ')' in %q", p.src)
		}
		p.i++
		return x, nil
	case tIdent:
		if f, ok := mathFuncs[t.s]; ok {
			if c := p.peek(); c == nil || c.kind != tLParen {
				// exp4j keeps a function on its operator stack until a
				// closing parenthesis or the end, so "sin _" is sin(_)
				// and "2 * sin 3 + 1" is 2 * sin(3 + 1).
				if f.arity != 1 || c == nil {
					return nil, fmt.Errorf("math: function %s at position %d needs '('", t.s, t.pos)
				}
				a, err := p.expr(0)
				if err != nil {
					return nil, err
				}
				return callNode{name: t.s, fn: f, args: []mathNode{a}}, nil
			}
			p.i++
			var args []mathNode
			for {
				a, err := p.expr(0)
				if err != nil {
					return nil, err
				}
				args = append(args, a)
				c := p.peek()
				if c != nil && c.kind == tComma {
					p.i++
					continue
				}
				if c == nil || c.kind != tRParen {
					return nil, fmt.Errorf("math: missing ')' after arguments of %s in %q", t.s, p.src)
				}
				p.i++
				break
			}
			if len(args) != f.arity {
				return nil, fmt.Errorf("math: function %s expects %d argument(s), got %d", t.s, f.arity, len(args))
			}
			return callNode{name: t.s, fn: f, args: args}, nil
		}
		if c, ok := mathConsts[t.s]; ok {
			return numNode(c), nil
		}
		if !p.seen[t.s] {
			p.seen[t.s] = true
			p.vars = append(p.vars, t.s)
		}
		return varNode(t.s), nil
	}
	return nil, fmt.Errorf("math: unexpected %q at position %d in %q", t.s, t.pos, p.src)
}

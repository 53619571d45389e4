package lang

import (
	"errors"
	"testing"
)

// TestGoldenErrors pins the exact messages for malformed scripts.
func TestGoldenErrors(t *testing.T) {
	cases := []struct{ script, msg string }{
		{`g.V().has("name",)`, `line 1, column 18: found ')' but expected an argument (a literal, enum, predicate, traversal or variable)`},
		{`g.V().out(1)`, `line 1, column 11: found '1' but expected a string or null as argument 1 of out()`},
		{`g.V().has()`, `line 1, column 7: found has() with 0 arguments but expected 1 to 3 arguments for has()`},
		{`g.V().limit("x")`, `line 1, column 13: found "x" but expected an integer as argument 1 of limit()`},
		{`g.V().range(local, 1)`, `line 1, column 13: found Scope.local but expected an integer as argument 1 of range()`},
		{`g.V().foo()`, `line 1, column 7: found 'foo' but expected a step name ('foo' is not a Gremlin step)`},
		{`g.V(`, `line 1, column 5: found end of input but expected an argument (a literal, enum, predicate, traversal or variable)`},
		{`g.V())`, `line 1, column 6: found ')' but expected ';', a new line or the end of the script`},
		{"g.V()\n  .out(\n", `line 3, column 1: found end of input but expected an argument (a literal, enum, predicate, traversal or variable)`},
		{`g.V() g.E()`, `line 1, column 7: found 'g' but expected ';', a new line or the end of the script`},
		{`g.V().next().toList()`, `line 1, column 13: found '.' but expected the end of the statement after the terminal method next()`},
		{`g.V().toList(1)`, `line 1, column 14: found '1' but expected ')' (toList() takes no arguments)`},
		{`g.V().has('name', 'marko'`, `line 1, column 26: found end of input but expected ',' or ')' in the arguments of has`},
		{`g.V().has('age', P.foo(1))`, `line 1, column 20: found 'foo' but expected a P predicate (eq, neq, lt, lte, gt, gte, inside, outside, between, within, without, not, typeOf)`},
		{`g.V().select(Pop.bogus, 'a')`, `line 1, column 18: found 'bogus' but expected a constant of Pop (all, first, last, mixed)`},
		{`g.inject(300b)`, `line 1, column 10: found '300b' but expected a byte literal in the range -128..127`},
		{`g.inject(2147483648i)`, `line 1, column 10: found '2147483648i' but expected an int literal in the range -2147483648..2147483647`},
		{`g.inject(09)`, `line 1, column 10: found '09' but expected an octal integer (digits 0-7 after a leading 0)`},
		{`g.inject(1x)`, `line 1, column 10: found '1x' but expected a number (unknown number suffix)`},
		{`g.inject('abc)`, `line 1, column 10: found an unterminated string but expected a closing '`},
		{`g.inject("\q")`, `line 1, column 11: found '\q' but expected a valid escape sequence (\b \t \n \f \r \" \' \\ \uXXXX or octal)`},
		{`g.inject(UUID("nope"))`, `line 1, column 15: found "nope" but expected a UUID in the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`},
		{`g.inject(datetime("yesterday"))`, `line 1, column 19: found "yesterday" but expected an ISO-8601 date-time such as "2023-08-01T00:00:00Z"`},
		{`g.withStrategies(FooStrategy).V()`, `line 1, column 18: found 'FooStrategy' but expected a known traversal strategy (AdjacentToIncidentStrategy, ByModulatorOptimizationStrategy, ComputerFinalizationStrategy, ComputerVerificationStrategy, ConnectiveStrategy, CountStrategy, ...)`},
		{`g.withBulk("yes").V()`, `line 1, column 12: found "yes" but expected a boolean for withBulk()`},
		{`g.V().withSack(1)`, `line 1, column 7: found 'withSack' but expected a step (withSack() configures a traversal source and must come before the start step)`},
		{`g.out()`, `line 1, column 3: found 'out' but expected a traversal source method (out is a step, not a way to start a traversal from g)`},
		{`g.V().where(__)`, `line 1, column 15: found ')' but expected '.' after __`},
		{`g.V().is(P.not(1))`, `line 1, column 16: found '1' but expected a predicate inside not()`},
		{`g.V().is(gt(1).and(2))`, `line 1, column 20: found '2' but expected a predicate inside and()`},
		{`g.V().by(desc, asc)`, `line 1, column 10: found Order.desc but expected T or Column, a string or a traversal as argument 1 of by()`},
		{`g.V().values("a").is(TextP.startingWith(1))`, `line 1, column 41: found '1' but expected a string for TextP.startingWith()`},
		{`g.V().dateAdd(DT.week, 1)`, `line 1, column 18: found 'week' but expected a constant of DT (day, hour, minute, second)`},
		{`g.V().as()`, `line 1, column 7: found as() with 0 arguments but expected at least 1 argument for as()`},
		{`g.V().map(__.out().toList())`, `line 1, column 20: found 'toList' but expected a step (toList() is a terminal method, allowed only at the end of a traversal spawned from a source)`},
		{`x = `, `line 1, column 5: found end of input but expected an argument (a literal, enum, predicate, traversal or variable)`},
		{`true = 1`, `line 1, column 1: found 'true' but expected a variable name ("true" is reserved)`},
		{`g.V().out() /* never closed`, `line 1, column 13: found '/*' but expected a closing '*/' for the comment`},
		{`g.inject(1.2.3)`, `line 1, column 13: found '.3' but expected a method name after '.' (a decimal number needs a digit before its point)`},
		{`g.inject(new Foo(1))`, `line 1, column 14: found 'Foo' but expected Vertex or ReferenceVertex after 'new'`},
		{`g.V().has("a", frobnicate(1))`, `line 1, column 16: found 'frobnicate' but expected a step, predicate or function ('frobnicate' is not known)`},
		{`g.tx().finish()`, `line 1, column 8: found 'finish' but expected begin, commit or rollback after tx()`},
		{"g.V()\n.out()\n.has(\"a\" \"b\")", `line 3, column 10: found "b" but expected ',' or ')' in the arguments of has`},
	}
	for _, c := range cases {
		_, err := Parse(c.script)
		if err == nil {
			t.Errorf("%q: no error", c.script)
			continue
		}
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%q: %T %v, want *SyntaxError", c.script, err, err)
			continue
		}
		if err.Error() != c.msg {
			t.Errorf("%q:\n got  %s\n want %s", c.script, err.Error(), c.msg)
		}
	}
}

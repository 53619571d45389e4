// Package lang is kvtgraph's front-end for the Gremlin language as the
// gremlin-lang ANTLR grammar of TinkerPop 3.8.1 defines it. It is a
// hand-written lexer and recursive-descent parser that turns script text
// into driver-style bytecode (storage/value). Nothing is ever evaluated
// by a Groovy engine, and lambdas/closures ({ it.get() }, x -> x,
// Lambda.function("...")) are refused with a *LambdaError
// (errors.Is(err, ErrLambda)).
//
// # API
//
//	Parse(script) (*Script, error)                 whole scripts
//	ParseTraversal(s) (source, *value.Bytecode, error)  one traversal
//	Format(source, bytecode) string                bytecode → gremlin-lang
//	FormatValue(v) string, QuoteString(s) string
//	Negate(*value.P) *value.P                      P.negate() semantics
//	CardinalityValue / IsCardinalityValue          Cardinality.single(x) form
//	ParseDatetime, StrategyClass  literal helpers
//
// Errors are *SyntaxError{Line, Column, Found, Expected} (message
// "line 1, column 14: found ')' but expected ...") or *LambdaError.
//
// # Scripts
//
// A Script is a list of *Statement separated by ';' or new lines. A new
// line ends a statement only where the statement is complete and the next
// line does not start with '.', so multi-line traversals ("g.V().\n out()"
// and "g.V()\n .out()") work. Comments are // and /* */.
//
// A statement optionally assigns (x = ..., def x = ...; Statement.Var,
// Statement.Def). Its Expr is one of:
//
//   - *Traversal: Source (identifier before the first '.'), FromGraph
//     (written "graph.traversal()..."), Bytecode (with*() source
//     instructions and steps), Terminal (nil, or Name next/toList/toSet/
//     toBulkSet/iterate/hasNext/tryNext/explain with Count for next(n),
//     -1 otherwise) and ToString.
//   - *SourceExpr: a source that spawns nothing ("g.withStrategies(..)",
//     "graph.traversal()"); Bytecode holds only Sources.
//   - *TxExpr: g.tx().begin()/commit()/rollback().
//   - *VarRef: a bare identifier. It may name a script variable, a request
//     binding or a configured traversal source ("g" alone).
//   - *Literal: any other value ("1", "[a: 1]", "__.out()").
//   - *EmptyQuery: the grammar's empty-string query: a statement that is
//     only an empty string literal (two quotes).
//
// The evaluator runs statements in order, binding Var to the value of
// Expr; the script's result is the value of the last statement. A
// Traversal without a Terminal is iterated to a list (as Gremlin Server
// does). Traversal.Source may be a script variable that holds a source
// value (a SourceExpr's result): its source instructions are then
// prepended to the traversal's.
//
// # Argument values
//
// Step and source-instruction arguments use the shared value model:
//
//   - Integers: no suffix → int32 if it fits, else int64, else *big.Int
//     (Java's Integer/Long/BigInteger rule; hex 0x.. and octal 0.. too);
//     suffix b → int8, s → int16, i → int32, l/L → int64, n → *big.Int.
//   - Decimals: no suffix or d → float64 (gremlin-lang reads a plain
//     decimal as Double), f → float32, m → value.BigDecimal; NaN,
//     Infinity, -Infinity → float64.
//   - Strings (single or double quotes, Java escapes), bool, nil.
//   - [a, b] → []any; [k: v] / [:] → *value.Map (insertion order; a bare
//     identifier key is a string, "(expr): v" or "T.id: v" evaluates the
//     key); {a, b} → *value.Set; 1..3 and 'a'..'c' → []any.
//   - datetime("...")/DateTime("...") → time.Time (no offset means UTC;
//     datetime() is now); UUID("...") → uuid.UUID (UUID() is random);
//     [new] Vertex(id, "label") → *value.Vertex reference.
//   - Enums, bare or qualified, → value.Enum{Type, Name} with gremlin-go's
//     spelling: T (id,label,key,value), Direction (IN,OUT,BOTH; from=OUT,
//     to=IN), Order (asc,desc,shuffle; incr=asc, decr=desc), Scope, Pop,
//     Column, Cardinality, Barrier, Operator, Pick (any,none,unproductive),
//     Merge, DT, and GType (qualified only: GType.INT).
//   - WithOptions.*, IO.*, ConnectedComponent.*, PageRank.*,
//     PeerPressure.*, ShortestPath.* → their string/int32 constants
//     (WithOptions.tokens = "~tinkerpop.valueMap.tokens", all = 15, ...).
//   - Predicates → *value.P (Text for TextP). within/without carry their
//     members flattened (within([1,2]) = within(1,2)); a single Binding
//     member must be flattened by the evaluator once substituted. and/or
//     hold two *P; not holds one; .negate() is applied at parse time (see
//     Negate). A bare not(P) is P.not; not(traversal) is the step.
//   - Anonymous traversals (__.out() or a bare out()) → *value.Bytecode
//     with Steps only. Cardinality.single(x)/list(x)/set(x) →
//     *value.Bytecode with one source instruction
//     "CardinalityValueTraversal" [Enum Cardinality, x], as gremlin-go
//     sends it (see IsCardinalityValue).
//   - An identifier that is not a keyword or enum → value.Binding{Key:
//     name} with a nil Value: a script variable or request binding that
//     the evaluator must substitute (erroring when it is unbound).
//   - A terminated root traversal used as a value (g.V(g.V(1).id().next()))
//     → *Traversal; the evaluator runs it first and substitutes its result.
//
// Source instructions: withStrategies args are value.Strategy{Class
// (fully qualified, as gremlin-go sends it), Config}; withoutStrategies
// args are value.Class. g.with(k, v) and g.with(k) (v = true) are folded
// into a withStrategies(OptionsStrategy) instruction exactly as the Java
// and Go drivers do (a bound key is kept as a "with" instruction).
// withBulk, withPath, withSack and withSideEffect are kept as written.
//
// Numbers keep the type written in the script; steps whose Java
// signature takes long (limit, range, skip, tail, timeLimit, ...) or int
// receive int32 for plain literals, so the evaluator coerces numeric
// step arguments as it does for bytecode from drivers.
//
// Every step's arguments are checked against the overloads of TinkerPop
// 3.8.1 (check.go) so that errors such as out(1) or limit("x") are
// reported with their position; a value.Binding matches any overload.
package lang

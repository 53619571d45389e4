package lang

import "github.com/kvtgraph/kvtgraph/storage/value"

// Script is a parsed gremlin-lang script: statements in source order.
type Script struct {
	Statements []*Statement
}

// Statement is one statement of a script. When Var is non-empty the
// statement assigns the value of Expr to that script variable
// ("x = g.V(1).next()" or "def x = ..."); otherwise Expr's value is the
// statement's result. A script's result is the last statement's value.
type Statement struct {
	Var  string
	Def  bool // the assignment was written with "def"
	Expr Expr
	Line int // 1-based position of the statement's first token
	Col  int
}

// Expr is one of *Traversal, *SourceExpr, *TxExpr, *VarRef, *Literal,
// *EmptyQuery.
type Expr interface{ expr() }

// Traversal is a spawned traversal: Source names the traversal source
// (an identifier such as "g" or "gmodern", or a script variable holding
// a source; when FromGraph is set the source was written
// Source+".traversal()", e.g. "graph.traversal().V()").
// Bytecode holds the with*() source instructions and the steps.
// Terminal is the terminal method or nil when there is none (the caller
// then iterates the traversal to a list, as Gremlin Server does).
type Traversal struct {
	Source    string
	FromGraph bool
	Bytecode  *value.Bytecode
	Terminal  *Terminal
	ToString  bool // the statement ended with .toString()
}

// Terminal is a terminal method: Name is one of next, toList, toSet,
// toBulkSet, iterate, hasNext, tryNext, explain. Count is the argument of
// next(n), or -1 when next() was called without one (and for all other
// methods).
type Terminal struct {
	Name  string
	Count int64
}

// SourceExpr is a traversal source that spawns no traversal:
// "g", "g.withStrategies(...)", "graph.traversal()",
// "graph.traversal().withSack(1)". Bytecode holds only Sources.
type SourceExpr struct {
	Source    string
	FromGraph bool
	Bytecode  *value.Bytecode
	ToString  bool
}

// TxExpr is a transaction control call on a source: g.tx().begin(),
// g.tx().commit(), g.tx().rollback(). Action is "begin", "commit" or
// "rollback".
type TxExpr struct {
	Source    string
	FromGraph bool
	Bytecode  *value.Bytecode // source instructions before .tx(), if any
	Action    string
}

// VarRef is a bare reference to a script variable or request binding.
type VarRef struct {
	Name string
}

// Literal is a literal value statement ("1", "[1,2]", "'x'"). Value
// follows the argument conventions documented in doc.go; it may contain
// value.Binding placeholders.
type Literal struct {
	Value any
}

// EmptyQuery is the empty-string query (a statement that is only an empty
// string literal) that the gremlin-lang grammar allows as a whole query;
// it evaluates to nothing.
type EmptyQuery struct{}

func (*Traversal) expr()  {}
func (*SourceExpr) expr() {}
func (*TxExpr) expr()     {}
func (*VarRef) expr()     {}
func (*Literal) expr()    {}
func (*EmptyQuery) expr() {}

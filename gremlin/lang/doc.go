// Package lang is kvtgraph's front-end for the Gremlin language as the
// gremlin-lang ANTLR grammar of TinkerPop 3.8.1 defines it. It is a
// hand-written lexer and recursive-descent parser; nothing is ever
// evaluated by a Groovy engine, and lambdas/closures are refused with a
// *LambdaError (errors.Is(err, ErrLambda)).
package lang

package lang

import (
	"errors"
	"fmt"
)

// SyntaxError reports a script that is not valid gremlin-lang. Line and
// Column are 1-based (columns count characters, not bytes); Found
// describes what was seen there and Expected what the parser wanted.
type SyntaxError struct {
	Line     int
	Column   int
	Found    string
	Expected string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d, column %d: found %s but expected %s", e.Line, e.Column, e.Found, e.Expected)
}

// ErrLambda is the sentinel wrapped by every LambdaError, for errors.Is.
var ErrLambda = errors.New("lambdas are not supported")

// LambdaError reports a lambda or closure in the script ({ it.get() },
// Lambda.function("..."), x -> ...). kvtgraph never executes lambdas.
type LambdaError struct {
	Line   int
	Column int
	Text   string // the offending source text, possibly shortened
}

func (e *LambdaError) Error() string {
	return fmt.Sprintf("line %d, column %d: lambdas are not supported (found %s)", e.Line, e.Column, e.Text)
}

// Unwrap returns ErrLambda.
func (e *LambdaError) Unwrap() error { return ErrLambda }

package fn

import (
	"errors"
	"time"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

var errTODO = errors.New("fn: not implemented yet")

func equal(a, b any) bool          { return false }
func equivalent(a, b any) bool     { return false }
func compare(a, b any) (int, bool) { return 0, false }
func order(a, b any) int           { return 0 }
func isNumber(v any) bool          { return false }
func isNaN(v any) bool             { return false }

type arithOp int

const (
	opAdd arithOp = iota
	opSub
	opMul
	opDiv
)

func arith(op arithOp, a, b any) (any, error)        { return nil, errTODO }
func neg(a any) (any, error)                         { return nil, errTODO }
func minmax(a, b any, max bool) any                  { return nil }
func sum(vals []any) (any, error)                    { return nil, errTODO }
func mean(vals []any) (any, error)                   { return nil, errTODO }
func toFloat64(v any) (float64, bool)                { return 0, false }
func toInt64(v any) (int64, bool)                    { return 0, false }
func applyOperator(op string, a, b any) (any, error) { return nil, errTODO }
func testP(p *value.P, v any) (bool, error)          { return false, errTODO }

type mathNode interface{}

func parseMath(expr string) (*MathExpr, error)                    { return nil, errTODO }
func (m *MathExpr) eval(vars map[string]float64) (float64, error) { return 0, errTODO }
func asString(v any) (any, error)                                 { return nil, errTODO }
func javaString(v any) string                                     { return "" }
func concat(v any, args []any) (any, error)                       { return nil, errTODO }
func split(v any, sep any) (any, error)                           { return nil, errTODO }
func replace(v any, o, n any) (any, error)                        { return nil, errTODO }
func trim(v any, l, r bool, name string) (any, error)             { return nil, errTODO }
func caseMap(v any, up bool) (any, error)                         { return nil, errTODO }
func length(v any) (any, error)                                   { return nil, errTODO }
func substring(v any, s, e int64, he bool) (any, error)           { return nil, errTODO }
func reverse(v any) (any, error)                                  { return nil, errTODO }
func format(t string, l func(string) (any, bool), p []any) (string, bool, error) {
	return "", false, errTODO
}
func asNumber(v any, t string) (any, error)         { return nil, errTODO }
func asBool(v any) (any, error)                     { return nil, errTODO }
func asDate(v any) (any, error)                     { return nil, errTODO }
func dateAdd(d any, u string, n int64) (any, error) { return nil, errTODO }
func dateDiff(d, o any) (any, error)                { return nil, errTODO }
func parseDateTime(s string) (time.Time, error)     { return time.Time{}, errTODO }
func combine(a, b any) (any, error)                 { return nil, errTODO }
func merge(a, b any) (any, error)                   { return nil, errTODO }
func product(a, b any) (any, error)                 { return nil, errTODO }
func intersect(a, b any) (any, error)               { return nil, errTODO }
func difference(a, b any) (any, error)              { return nil, errTODO }
func disjunct(a, b any) (any, error)                { return nil, errTODO }
func conjoin(l any, d string) (any, error)          { return nil, errTODO }

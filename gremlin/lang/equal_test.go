package lang

import (
	"fmt"
	"math"
	"math/big"
	"time"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// diff returns "" when a and b are the same Gremlin value (types
// included; NaN equals NaN), else a description of the first difference.
func diff(path string, a, b any) string {
	switch x := a.(type) {
	case nil:
		if b != nil {
			return fmt.Sprintf("%s: nil vs %T %v", path, b, b)
		}
		return ""
	case float64:
		y, ok := b.(float64)
		if !ok || !(x == y || (math.IsNaN(x) && math.IsNaN(y))) || math.Signbit(x) != math.Signbit(y) {
			return fmt.Sprintf("%s: float64 %v vs %T %v", path, x, b, b)
		}
		return ""
	case float32:
		y, ok := b.(float32)
		if !ok || !(x == y || (x != x && y != y)) {
			return fmt.Sprintf("%s: float32 %v vs %T %v", path, x, b, b)
		}
		return ""
	case *big.Int:
		y, ok := b.(*big.Int)
		if !ok || x.Cmp(y) != 0 {
			return fmt.Sprintf("%s: big.Int %v vs %T %v", path, x, b, b)
		}
		return ""
	case value.BigDecimal:
		y, ok := b.(value.BigDecimal)
		if !ok || x.Scale != y.Scale || x.Unscaled.Cmp(y.Unscaled) != 0 {
			return fmt.Sprintf("%s: BigDecimal %v vs %T %v", path, x, b, b)
		}
		return ""
	case time.Time:
		y, ok := b.(time.Time)
		if !ok || !x.Equal(y) {
			return fmt.Sprintf("%s: time %v vs %T %v", path, x, b, b)
		}
		return ""
	case uuid.UUID:
		if y, ok := b.(uuid.UUID); !ok || x != y {
			return fmt.Sprintf("%s: uuid %v vs %T %v", path, x, b, b)
		}
		return ""
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return fmt.Sprintf("%s: list %v vs %T %v", path, x, b, b)
		}
		for i := range x {
			if d := diff(fmt.Sprintf("%s[%d]", path, i), x[i], y[i]); d != "" {
				return d
			}
		}
		return ""
	case *value.Set:
		y, ok := b.(*value.Set)
		if !ok || x.Len() != y.Len() {
			return fmt.Sprintf("%s: set %v vs %T %v", path, x.Items(), b, b)
		}
		for i := range x.Items() {
			if d := diff(fmt.Sprintf("%s{%d}", path, i), x.Items()[i], y.Items()[i]); d != "" {
				return d
			}
		}
		return ""
	case *value.Map:
		y, ok := b.(*value.Map)
		if !ok || x.Len() != y.Len() {
			return fmt.Sprintf("%s: map of %d vs %T %v", path, x.Len(), b, b)
		}
		for i, e := range x.Entries() {
			f := y.Entries()[i]
			if d := diff(fmt.Sprintf("%s<key %d>", path, i), e.Key, f.Key); d != "" {
				return d
			}
			if d := diff(fmt.Sprintf("%s[%v]", path, e.Key), e.Value, f.Value); d != "" {
				return d
			}
		}
		return ""
	case *value.P:
		y, ok := b.(*value.P)
		if !ok || x.Operator != y.Operator || x.Text != y.Text {
			return fmt.Sprintf("%s: P %v vs %T %v", path, x, b, b)
		}
		return diff(path+".P("+x.Operator+")", x.Values, y.Values)
	case *value.Bytecode:
		y, ok := b.(*value.Bytecode)
		if !ok {
			return fmt.Sprintf("%s: bytecode vs %T", path, b)
		}
		if d := diffIns(path+".src", x.Sources, y.Sources); d != "" {
			return d
		}
		return diffIns(path, x.Steps, y.Steps)
	case value.Strategy:
		y, ok := b.(value.Strategy)
		if !ok || x.Class != y.Class {
			return fmt.Sprintf("%s: strategy %v vs %T %v", path, x.Class, b, b)
		}
		xc, yc := x.Config, y.Config
		if xc == nil {
			xc = value.NewMap()
		}
		if yc == nil {
			yc = value.NewMap()
		}
		return diff(path+"."+x.Class, xc, yc)
	case *value.Vertex:
		y, ok := b.(*value.Vertex)
		if !ok || x.Label != y.Label {
			return fmt.Sprintf("%s: vertex %v vs %T %v", path, x, b, b)
		}
		return diff(path+".id", x.ID, y.ID)
	default:
		if a != b {
			return fmt.Sprintf("%s: %T %v vs %T %v", path, a, a, b, b)
		}
		return ""
	}
}

func diffIns(path string, a, b []value.Instruction) string {
	if len(a) != len(b) {
		return fmt.Sprintf("%s: %d instructions vs %d (%v vs %v)", path, len(a), len(b), ops(a), ops(b))
	}
	for i := range a {
		if a[i].Operator != b[i].Operator {
			return fmt.Sprintf("%s[%d]: %s vs %s", path, i, a[i].Operator, b[i].Operator)
		}
		if d := diff(fmt.Sprintf("%s.%s", path, a[i].Operator), a[i].Args, b[i].Args); d != "" {
			return d
		}
	}
	return ""
}

func ops(ins []value.Instruction) []string {
	var out []string
	for _, i := range ins {
		out = append(out, i.Operator)
	}
	return out
}

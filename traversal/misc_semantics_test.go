package traversal

import (
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

func TestHasIDStringsAndNullKeys(t *testing.T) {
	tx := modern(t)
	// String ids compare with the id's String form (HasContainer).
	expect(t, tx, b("V", int32(1)).s("out").s("hasId", "2", "3"), false, "v[2]", "v[3]")
	expect(t, tx, b("V").s("hasId", "1", "2", nil), false, "v[1]", "v[2]")
	expect(t, tx, b("V").s("has", T("id"), "4"), false, "v[4]")
	expect(t, tx, b("V").s("hasId", int32(2), "3"), false, "v[2]")
	// g.V("1") / g.E("11") find integer ids.
	expect(t, tx, b("V", "1").s("out", "knows"), false, "v[2]", "v[4]")
	expect(t, tx, b("E", "11").s("outV").s("outE").s("hasId", "10"), false, "e[10]")
	// A null property key matches nothing instead of failing.
	expect(t, tx, b("V").s("has", nil), false)
	expect(t, tx, b("E").s("has", nil), false)
	expect(t, tx, b("V").s("has", nil, "x"), false)
	// A connective built from a TextP.
	and := &value.P{Operator: "and", Text: true, Values: []any{
		&value.P{Operator: "containing", Text: true, Values: []any{"o"}},
		&value.P{Operator: "lt", Values: []any{"m"}}}}
	expect(t, tx, b("V").s("has", "person", "name", and), false, "v[4]")
	_ = strings.Contains
}

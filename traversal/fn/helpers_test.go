package fn

import (
	"math"
	"math/big"
	"testing"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

func bi(s string) *big.Int {
	b, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic(s)
	}
	return b
}

func bd(s string) value.BigDecimal {
	d, err := value.ParseBigDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

var nan = math.NaN()

func l(items ...any) []any { return items }

func set(items ...any) *value.Set { return value.NewSet(items...) }

func m(kv ...any) *value.Map {
	mm := value.NewMap()
	for i := 0; i+1 < len(kv); i += 2 {
		mm.Put(kv[i], kv[i+1])
	}
	return mm
}

func v(id any) *value.Vertex { return &value.Vertex{ID: id, Label: "person"} }

// same reports identical Gremlin values: same Go type and Equivalent.
func same(a, b any) bool {
	if typeName(a) != typeName(b) {
		return false
	}
	return Equivalent(a, b) || (a == nil && b == nil)
}

func mustNoErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

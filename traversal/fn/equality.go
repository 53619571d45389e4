package fn

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// family is a Gremlin type space; the order of the constants is the
// cross-type Orderability order (GremlinValueComparator.Type).
type family int

const (
	famNull family = iota
	famBool
	famNumber
	famDate
	famString
	famUUID
	famVertex
	famEdge
	famVertexProperty
	famProperty
	famPath
	famSet
	famList
	famMap
	famMapEntry
	famUnknown
)

func familyOf(v any) family {
	switch x := v.(type) {
	case nil:
		return famNull
	case bool:
		return famBool
	case time.Time:
		return famDate
	case string:
		return famString
	case uuid.UUID:
		return famUUID
	case *value.Vertex:
		return nonNil(x == nil, famVertex)
	case *value.Edge:
		return nonNil(x == nil, famEdge)
	case *value.VertexProperty:
		return nonNil(x == nil, famVertexProperty)
	case *value.Property:
		return nonNil(x == nil, famProperty)
	case *value.Path:
		return nonNil(x == nil, famPath)
	case *value.Set:
		return nonNil(x == nil, famSet)
	case []any:
		return famList
	case *value.Map:
		return nonNil(x == nil, famMap)
	case value.MapEntry, *value.MapEntry:
		return famMapEntry
	}
	if isNumber(v) {
		return famNumber
	}
	return famUnknown
}

// nonNil is f, or famNull when the typed pointer behind it is nil.
func nonNil(isNil bool, f family) family {
	if isNil {
		return famNull
	}
	return f
}

func pathItems(p *value.Path) []any { return p.Objects }

func elementID(v any) any {
	switch x := v.(type) {
	case *value.Vertex:
		return x.ID
	case *value.Edge:
		return x.ID
	case *value.VertexProperty:
		return x.ID
	}
	return nil
}

func entryOf(v any) value.MapEntry {
	switch x := v.(type) {
	case value.MapEntry:
		return x
	case *value.MapEntry:
		if x != nil {
			return *x
		}
	}
	return value.MapEntry{}
}

// sortedSet returns the set's members sorted by Orderability.
func sortedItems(items []any) []any {
	out := slices.Clone(items)
	slices.SortStableFunc(out, order)
	return out
}

func sortedEntries(m *value.Map) []any {
	es := m.Entries()
	out := make([]any, len(es))
	for i, e := range es {
		out[i] = e
	}
	slices.SortStableFunc(out, order)
	return out
}

// ---------------------------------------------------------------------------
// Comparability

func compare(a, b any) (int, bool) {
	fa, fb := familyOf(a), familyOf(b)
	if fa == famNull || fb == famNull {
		return 0, fa == fb
	}
	if isNaN(a) || isNaN(b) {
		return 0, false
	}
	if fa != fb {
		return 0, false
	}
	switch fa {
	case famBool:
		return cmpBool(a.(bool), b.(bool)), true
	case famNumber:
		return cmpNumbers(a, b), true
	case famDate:
		return a.(time.Time).Compare(b.(time.Time)), true
	case famString:
		return strings.Compare(a.(string), b.(string)), true
	case famUUID:
		x, y := a.(uuid.UUID), b.(uuid.UUID)
		return bytes.Compare(x[:], y[:]), true
	case famVertex, famEdge, famVertexProperty:
		return compare(elementID(a), elementID(b))
	case famProperty:
		x, y := a.(*value.Property), b.(*value.Property)
		if c := strings.Compare(x.Key, y.Key); c != 0 {
			// keys differ: still need values comparable for the pair to be
			// comparable (TinkerPop checks both).
			if _, ok := compare(x.Value, y.Value); !ok {
				return 0, false
			}
			return c, true
		}
		return compare(x.Value, y.Value)
	case famPath:
		return compareSeq(pathItems(a.(*value.Path)), pathItems(b.(*value.Path)))
	case famList:
		return compareSeq(a.([]any), b.([]any))
	case famSet:
		return compareSeq(sortedItems(a.(*value.Set).Items()), sortedItems(b.(*value.Set).Items()))
	case famMap:
		return compareSeq(sortedEntries(a.(*value.Map)), sortedEntries(b.(*value.Map)))
	case famMapEntry:
		x, y := entryOf(a), entryOf(b)
		ck, ok := compare(x.Key, y.Key)
		if !ok {
			return 0, false
		}
		cv, ok := compare(x.Value, y.Value)
		if !ok {
			return 0, false
		}
		if ck != 0 {
			return ck, true
		}
		return cv, true
	}
	return compareUnknown(a, b)
}

// compareSeq compares element by element; the first non-zero or ERROR
// result decides, then the shorter sequence is smaller.
func compareSeq(x, y []any) (int, bool) {
	for i := 0; i < len(x) && i < len(y); i++ {
		c, ok := compare(x[i], y[i])
		if !ok {
			return 0, false
		}
		if c != 0 {
			return c, true
		}
	}
	return cmp3(len(x), len(y)), true
}

func cmpBool(x, y bool) int {
	switch {
	case x == y:
		return 0
	case !x:
		return -1
	}
	return 1
}

// compareUnknown handles values outside the Gremlin type spaces
// (durations, chars, byte buffers, enums, ...): comparable only with the
// same Go type and a natural order (or equal).
func compareUnknown(a, b any) (int, bool) {
	if reflect.TypeOf(a) != reflect.TypeOf(b) {
		return 0, false
	}
	if c, ok := naturalCompare(a, b); ok {
		return c, true
	}
	if reflect.TypeOf(a).Comparable() && a == b {
		return 0, true
	}
	if value.Key(a) == value.Key(b) {
		return 0, true
	}
	return 0, false
}

func naturalCompare(a, b any) (int, bool) {
	switch x := a.(type) {
	case time.Duration:
		return cmp3(int64(x), int64(b.(time.Duration))), true
	case value.Char:
		return cmp3(int64(x), int64(b.(value.Char))), true
	case []byte:
		return bytes.Compare(x, b.([]byte)), true
	case value.Enum:
		y := b.(value.Enum)
		if c := strings.Compare(x.Type, y.Type); c != 0 {
			return c, true
		}
		return strings.Compare(x.Name, y.Name), true
	case value.Class:
		return strings.Compare(string(x), string(b.(value.Class))), true
	}
	return 0, false
}

// ---------------------------------------------------------------------------
// Equality and equivalence

func equal(a, b any) bool {
	fa, fb := familyOf(a), familyOf(b)
	if fa != fb {
		return false
	}
	switch fa {
	case famNull:
		return true
	case famList:
		x, y := a.([]any), b.([]any)
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case famPath:
		x, y := pathItems(a.(*value.Path)), pathItems(b.(*value.Path))
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case famSet:
		x, y := a.(*value.Set), b.(*value.Set)
		if x.Len() != y.Len() {
			return false
		}
	case famMap:
		x, y := a.(*value.Map), b.(*value.Map)
		if x.Len() != y.Len() {
			return false
		}
	case famVertex, famEdge, famVertexProperty:
		return equal(elementID(a), elementID(b))
	case famProperty:
		x, y := a.(*value.Property), b.(*value.Property)
		return x.Key == y.Key && equal(x.Value, y.Value)
	case famMapEntry:
		x, y := entryOf(a), entryOf(b)
		return equal(x.Key, y.Key) && equal(x.Value, y.Value)
	}
	c, ok := compare(a, b)
	return ok && c == 0
}

func equivalent(a, b any) bool {
	fa, fb := familyOf(a), familyOf(b)
	if fa != fb {
		return false
	}
	switch fa {
	case famNull:
		return true
	case famNumber:
		ca, _ := classOf(a)
		cb, _ := classOf(b)
		if ca != cb {
			return false
		}
		if isNaN(a) || isNaN(b) {
			return isNaN(a) && isNaN(b)
		}
		return cmpNumbers(a, b) == 0
	case famList:
		return seqEquivalent(a.([]any), b.([]any))
	case famPath:
		return seqEquivalent(pathItems(a.(*value.Path)), pathItems(b.(*value.Path)))
	case famSet:
		x, y := a.(*value.Set), b.(*value.Set)
		return x.Len() == y.Len() && seqEquivalent(sortedItems(x.Items()), sortedItems(y.Items()))
	case famMap:
		x, y := a.(*value.Map), b.(*value.Map)
		return x.Len() == y.Len() && seqEquivalent(sortedEntries(x), sortedEntries(y))
	case famMapEntry:
		x, y := entryOf(a), entryOf(b)
		return equivalent(x.Key, y.Key) && equivalent(x.Value, y.Value)
	case famVertex, famEdge, famVertexProperty:
		return equivalent(elementID(a), elementID(b))
	case famProperty:
		x, y := a.(*value.Property), b.(*value.Property)
		return x.Key == y.Key && equivalent(x.Value, y.Value)
	}
	return order(a, b) == 0
}

func seqEquivalent(x, y []any) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if !equivalent(x[i], y[i]) {
			return false
		}
	}
	return true
}

// ---------------------------------------------------------------------------
// Orderability

func order(a, b any) int {
	// Enums (T.id, Direction.OUT...) order as their names, so map keys
	// mixing T tokens and Strings sort together (OrderabilityComparator).
	if e, ok := a.(value.Enum); ok {
		a = e.Name
	}
	if e, ok := b.(value.Enum); ok {
		b = e.Name
	}
	fa, fb := familyOf(a), familyOf(b)
	if fa != fb {
		return cmp3(int(fa), int(fb))
	}
	switch fa {
	case famNull:
		return 0
	case famBool:
		return cmpBool(a.(bool), b.(bool))
	case famNumber:
		return cmpNumbers(a, b)
	case famDate:
		return a.(time.Time).Compare(b.(time.Time))
	case famString:
		return strings.Compare(a.(string), b.(string))
	case famUUID:
		x, y := a.(uuid.UUID), b.(uuid.UUID)
		return bytes.Compare(x[:], y[:])
	case famVertex, famEdge, famVertexProperty:
		return order(elementID(a), elementID(b))
	case famProperty:
		x, y := a.(*value.Property), b.(*value.Property)
		if c := strings.Compare(x.Key, y.Key); c != 0 {
			return c
		}
		return order(x.Value, y.Value)
	case famPath:
		return orderSeq(pathItems(a.(*value.Path)), pathItems(b.(*value.Path)))
	case famList:
		return orderSeq(a.([]any), b.([]any))
	case famSet:
		return orderSeq(sortedItems(a.(*value.Set).Items()), sortedItems(b.(*value.Set).Items()))
	case famMap:
		return orderSeq(sortedEntries(a.(*value.Map)), sortedEntries(b.(*value.Map)))
	case famMapEntry:
		x, y := entryOf(a), entryOf(b)
		if c := order(x.Key, y.Key); c != 0 {
			return c
		}
		return order(x.Value, y.Value)
	}
	// unknown: natural order within the same type, else by type name then
	// by string form.
	if reflect.TypeOf(a) == reflect.TypeOf(b) {
		if c, ok := naturalCompare(a, b); ok {
			return c
		}
	}
	if c := strings.Compare(gremlinTypeName(a), gremlinTypeName(b)); c != 0 {
		return c
	}
	return strings.Compare(javaString(a), javaString(b))
}

func orderSeq(x, y []any) int {
	for i := 0; i < len(x) && i < len(y); i++ {
		if c := order(x[i], y[i]); c != 0 {
			return c
		}
	}
	return cmp3(len(x), len(y))
}

func typeName(v any) string { return fmt.Sprintf("%T", v) }

// describe names a value's Gremlin type for error messages.
func describe(v any) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprintf("%s (%s)", gremlinTypeName(v), truncate(javaString(v), 60))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// gremlinTypeName returns the Java simple class name TinkerPop would
// report for v.
func gremlinTypeName(v any) string {
	if in, ok := v.(Internal); ok {
		v = in.PublicValue()
	}
	if n, ok := v.(interface{ GremlinType() string }); ok {
		return n.GremlinType()
	}
	if n, ok := value.TypeName(v); ok {
		return n
	}
	if c, ok := classOf(v); ok {
		return c.String()
	}
	// Not a Gremlin value: name the Go type without its package path.
	t := fmt.Sprintf("%T", v)
	if i := strings.LastIndexByte(t, '.'); i >= 0 {
		t = t[i+1:]
	}
	return t
}

// Internal is implemented by the traversal engine's internal forms of
// values (an aggregate's bulk set, a map entry traversing on its own):
// PublicValue returns the Gremlin value one stands for, which error
// messages name and print.
type Internal interface{ PublicValue() any }

// TypeName returns the name of v's Gremlin (Java) type for error
// messages: String, Integer, ArrayList, Vertex, Property, ...
func TypeName(v any) string { return gremlinTypeName(v) }

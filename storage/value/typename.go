package value

import (
	"math/big"
	"time"

	"github.com/google/uuid"
)

// TypeName names v's Gremlin (Java) type for error messages: String,
// ArrayList, Vertex, Path, Traversal, ... and the numbers Integer, Long,
// Double and so on. ok is false when v is not a Gremlin value.
func TypeName(v any) (name string, ok bool) {
	switch x := v.(type) {
	case nil:
		return "null", true
	case bool:
		return "Boolean", true
	case string:
		return "String", true
	case time.Time:
		return "OffsetDateTime", true
	case time.Duration:
		return "Duration", true
	case uuid.UUID:
		return "UUID", true
	case Char:
		return "Character", true
	case []byte:
		return "ByteBuffer", true
	case []any:
		return "ArrayList", true
	case *Set:
		return "LinkedHashSet", true
	case *Map:
		return "LinkedHashMap", true
	case MapEntry, *MapEntry:
		return "Map.Entry", true
	case *Vertex:
		return "Vertex", true
	case *Edge:
		return "Edge", true
	case *VertexProperty:
		return "VertexProperty", true
	case *Property:
		return "Property", true
	case *Path:
		return "Path", true
	case Enum:
		return x.Type, true
	case *P:
		return "P", true
	case *big.Int:
		return "BigInteger", true
	case *BulkSet:
		return "BulkSet", true
	case *Tree:
		return "Tree", true
	case *Bytecode:
		return "Traversal", true
	case *Lambda:
		return "Lambda", true
	case Traverser:
		return "Traverser", true
	case *Metrics:
		return "Metrics", true
	case *TraversalMetrics:
		return "TraversalMetrics", true
	case *Strategy:
		return "TraversalStrategy", true
	case Class:
		return "Class", true
	case Binding:
		return "Binding", true
	}
	switch v.(type) {
	case int8:
		return "Byte", true
	case int16:
		return "Short", true
	case int32:
		return "Integer", true
	case int64:
		return "Long", true
	case float32:
		return "Float", true
	case float64:
		return "Double", true
	case BigDecimal, *BigDecimal:
		return "BigDecimal", true
	}
	return "", false
}

package value

import (
	"fmt"
	"math/big"
	"strings"
)

// Go representation of Gremlin values. Scalars use plain Go types wherever
// Go has one with the same meaning; the types below fill the gaps.
//
//	Gremlin        Go
//	Int            int32
//	Long           int64
//	Short          int16
//	Byte           int8  (GraphBinary's byte; uint8 is accepted on input)
//	Float          float32
//	Double         float64
//	String         string
//	Boolean        bool
//	BigInteger     *big.Int
//	BigDecimal     BigDecimal
//	Char           Char
//	UUID           uuid.UUID (github.com/google/uuid)
//	Date           time.Time (UTC)  — see DateTime for offset date-times
//	OffsetDateTime time.Time
//	Duration       time.Duration
//	ByteBuffer     []byte
//	List           []any
//	Set            *Set
//	Map            *Map
//	null           nil

// BigDecimal is an arbitrary-precision decimal: Unscaled × 10^-Scale.
type BigDecimal struct {
	Unscaled *big.Int
	Scale    int32
}

// String renders the decimal as Java's BigDecimal.toString does (see
// JavaString).
func (d BigDecimal) String() string { return d.JavaString() }

// plain renders the decimal without an exponent; JavaString uses it only
// where that form is short (scale >= 0, at most six leading zeros).
func (d BigDecimal) plain() string {
	if d.Unscaled == nil {
		return "0"
	}
	s := new(big.Int).Abs(d.Unscaled).String()
	if d.Scale > 0 {
		if pad := int(d.Scale) + 1 - len(s); pad > 0 {
			s = strings.Repeat("0", pad) + s
		}
		s = s[:len(s)-int(d.Scale)] + "." + s[len(s)-int(d.Scale):]
	}
	if d.Unscaled.Sign() < 0 {
		s = "-" + s
	}
	return s
}

// Rat returns the decimal as an exact rational.
func (d BigDecimal) Rat() *big.Rat {
	r := new(big.Rat).SetInt(d.Unscaled)
	if d.Scale == 0 {
		return r
	}
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs32(d.Scale))), nil)
	if d.Scale > 0 {
		return r.Quo(r, new(big.Rat).SetInt(p))
	}
	return r.Mul(r, new(big.Rat).SetInt(p))
}

func abs32(x int32) int32 {
	if x < 0 {
		return -x
	}
	return x
}

// Char is a single UTF-16/UTF-8 character (Java char / GraphBinary Char).
type Char rune

func (c Char) String() string { return string(rune(c)) }

// Set is an insertion-ordered set of values with Gremlin equality
// (elements are distinct by Key).
type Set struct {
	items []any
	index map[string]int
}

// NewSet returns a set holding the distinct items, in first-seen order.
func NewSet(items ...any) *Set {
	s := &Set{index: make(map[string]int)}
	for _, it := range items {
		s.Add(it)
	}
	return s
}

// Add inserts v unless an equal value is present; it reports whether it
// was added.
func (s *Set) Add(v any) bool {
	if s.index == nil {
		s.index = make(map[string]int)
	}
	k := Key(v)
	if _, ok := s.index[k]; ok {
		return false
	}
	s.index[k] = len(s.items)
	s.items = append(s.items, v)
	return true
}

// Contains reports whether an equal value is in the set.
func (s *Set) Contains(v any) bool { _, ok := s.index[Key(v)]; return ok }

// Items returns the members in insertion order. The slice is borrowed.
func (s *Set) Items() []any { return s.items }

// Len returns the number of members.
func (s *Set) Len() int { return len(s.items) }

// MapEntry is one key/value pair of a Map.
type MapEntry struct {
	Key   any
	Value any
}

// Map is an insertion-ordered map whose keys may be any Gremlin value,
// including lists, maps and elements (Go maps cannot key on those).
type Map struct {
	entries []MapEntry
	index   map[string]int
}

// NewMap returns an empty map.
func NewMap() *Map { return &Map{index: make(map[string]int)} }

// Put sets key to val, keeping the key's original position if present.
func (m *Map) Put(key, val any) {
	if m.index == nil {
		m.index = make(map[string]int)
	}
	k := Key(key)
	if i, ok := m.index[k]; ok {
		m.entries[i].Value = val
		return
	}
	m.index[k] = len(m.entries)
	m.entries = append(m.entries, MapEntry{Key: key, Value: val})
}

// Get returns the value under key.
func (m *Map) Get(key any) (any, bool) {
	if m == nil {
		return nil, false
	}
	i, ok := m.index[Key(key)]
	if !ok {
		return nil, false
	}
	return m.entries[i].Value, true
}

// Delete removes key if present.
func (m *Map) Delete(key any) {
	k := Key(key)
	i, ok := m.index[k]
	if !ok {
		return
	}
	m.entries = append(m.entries[:i], m.entries[i+1:]...)
	delete(m.index, k)
	for j := i; j < len(m.entries); j++ {
		m.index[Key(m.entries[j].Key)] = j
	}
}

// Entries returns the pairs in insertion order. The slice is borrowed.
func (m *Map) Entries() []MapEntry {
	if m == nil {
		return nil
	}
	return m.entries
}

// Len returns the number of pairs.
func (m *Map) Len() int {
	if m == nil {
		return 0
	}
	return len(m.entries)
}

// Key returns a canonical string for v such that two values are equal as
// Gremlin map keys and set members exactly when their Keys are equal.
// Types stay distinct (Int 1 and Long 1 differ), as in Java collections.
// Elements are equal by id, as in TinkerPop.
func Key(v any) string {
	return fmt.Sprintf("%T:%s", v, keyBody(v))
}

func keyBody(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case *Vertex:
		return "v" + Key(x.ID)
	case *Edge:
		return "e" + Key(x.ID)
	case *VertexProperty:
		return "vp" + Key(x.ID)
	case *Property:
		// Properties are equal when key and value are (TinkerPop's
		// ElementHelper.areEqual since TINKERPOP-2318), whatever their
		// element.
		return "p" + x.Key + "=" + Key(x.Value)
	case []any:
		s := "["
		for _, e := range x {
			s += Key(e) + ","
		}
		return s + "]"
	case *Set:
		s := "{"
		for _, e := range x.items {
			s += Key(e) + ","
		}
		return s + "}"
	case *Map:
		s := "{"
		for _, e := range x.entries {
			s += Key(e.Key) + "=" + Key(e.Value) + ","
		}
		return s + "}"
	case *Path:
		s := "path["
		for _, e := range x.Objects {
			s += Key(e) + ","
		}
		return s + "]"
	case *big.Int:
		return x.String()
	case BigDecimal:
		return x.String()
	case []byte:
		return fmt.Sprintf("%x", x)
	case Enum:
		return x.Type + "." + x.Name
	default:
		return fmt.Sprintf("%v", x)
	}
}

// Vertex is a graph vertex. Properties is nil for a reference (id and
// label only) and non-nil (possibly empty) when the properties were loaded.
type Vertex struct {
	ID         any
	Label      string
	Properties []*VertexProperty
}

// Edge is a graph edge. OutV and InV are vertex references (ID and Label).
type Edge struct {
	ID         any
	Label      string
	OutV       *Vertex
	InV        *Vertex
	Properties []*Property
}

// VertexProperty is a property of a vertex, with its own id and optional
// meta-properties. Vertex refers to the owner (may be nil when detached).
type VertexProperty struct {
	ID         any
	Key        string
	Value      any
	Properties []*Property
	Vertex     *Vertex
}

// Property is a key/value property of an edge or a meta-property of a
// vertex property. Element is the owner (*Edge or *VertexProperty), or nil.
type Property struct {
	Key     string
	Value   any
	Element any
}

// Path is the history of a traverser: Objects[i] was labelled Labels[i].
type Path struct {
	Labels  [][]string
	Objects []any
}

// Enum is a value of one of Gremlin's enums: T, Direction, Order, Scope,
// Pop, Column, Cardinality, Barrier, Operator, Pick, Merge, DT, GType.
// Type is the enum's name ("T"), Name the constant as TinkerPop spells it
// ("id", "OUT", "desc").
type Enum struct {
	Type string
	Name string
}

func (e Enum) String() string { return e.Name }

// P is a predicate. Operator is TinkerPop's name: eq, neq, lt, lte, gt,
// gte, inside, outside, between, within, without, not, and, or; and for
// TextP: containing, notContaining, startingWith, notStartingWith,
// endingWith, notEndingWith, regex, notRegex. For and/or, Values holds the
// two *P operands; for within/without it holds the collection's members;
// for not it holds the negated *P.
type P struct {
	Operator string
	Values   []any
	Text     bool // TextP rather than P
}

// Instruction is one step or source instruction of a Bytecode.
type Instruction struct {
	Operator string
	Args     []any
}

// Bytecode is a traversal as drivers send it: source instructions (withX)
// and step instructions. Arguments may hold nested *Bytecode (anonymous
// traversals), *P, Enum, *Lambda, Binding and plain values.
type Bytecode struct {
	Sources []Instruction
	Steps   []Instruction
}

// Binding is a named value inside bytecode.
type Binding struct {
	Key   string
	Value any
}

// Lambda is a lambda as drivers send it. kvtgraph never runs one.
type Lambda struct {
	Script    string
	Language  string
	Arguments int32
}

// Traverser is a result object with its bulk, as bytecode responses carry.
type Traverser struct {
	Bulk  int64
	Value any
}

// BulkSet is a multiset that keeps insertion order of distinct members.
type BulkSet struct {
	Items []BulkItem
}

// BulkItem is one distinct member of a BulkSet and its count.
type BulkItem struct {
	Value any
	Bulk  int64
}

// Tree is the result of tree(): an ordered map from object to subtree.
type Tree struct {
	Branches []TreeBranch
}

// TreeBranch is one key of a Tree and its subtree.
type TreeBranch struct {
	Key  any
	Tree *Tree
}

// Metrics is one step's profile (GraphBinary 0x2c).
type Metrics struct {
	ID          string
	Name        string
	DurationNs  int64
	Counts      *Map // e.g. "traverserCount", "elementCount" → int64
	Annotations *Map
	Nested      []*Metrics
}

// TraversalMetrics is a whole traversal's profile (GraphBinary 0x2d).
type TraversalMetrics struct {
	DurationNs int64
	Metrics    []*Metrics
}

// Strategy is a traversal strategy with its configuration, as sent in
// withStrategies (GraphBinary TraversalStrategy). Class is the fully
// qualified Java class name, e.g.
// "org.apache.tinkerpop.gremlin.process.traversal.strategy.decoration.PartitionStrategy".
type Strategy struct {
	Class  string
	Config *Map
}

// Class is a Java class name, as withoutStrategies sends it.
type Class string

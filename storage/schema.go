package storage

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"time"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/kv"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// DataType is the declared type of a property key.
type DataType uint8

const (
	TypeAny DataType = iota
	TypeBoolean
	TypeByte   // int8
	TypeShort  // int16
	TypeInt    // int32
	TypeLong   // int64
	TypeFloat  // float32
	TypeDouble // float64
	TypeNumber // any numeric type
	TypeString
	TypeDate // time.Time
	TypeUUID
	TypeBigInteger
	TypeBigDecimal
	TypeChar
	TypeDuration
	TypeBytes
	TypeList
	TypeSet
	TypeMap
	typeCount
)

var typeNames = [...]string{"Any", "Boolean", "Byte", "Short", "Integer", "Long", "Float", "Double", "Number",
	"String", "Date", "UUID", "BigInteger", "BigDecimal", "Character", "Duration", "ByteBuffer", "List", "Set", "Map"}

func (d DataType) String() string {
	if int(d) < len(typeNames) {
		return typeNames[d]
	}
	return fmt.Sprintf("DataType(%d)", d)
}

// Accepts reports whether a normalized value v is of type d.
func (d DataType) Accepts(v any) bool {
	switch d {
	case TypeAny:
		return true
	case TypeNumber:
		switch v.(type) {
		case int8, int16, int32, int64, float32, float64, *big.Int, value.BigDecimal:
			return true
		}
		return false
	}
	var ok bool
	switch v.(type) {
	case bool:
		ok = d == TypeBoolean
	case int8:
		ok = d == TypeByte
	case int16:
		ok = d == TypeShort
	case int32:
		ok = d == TypeInt
	case int64:
		ok = d == TypeLong
	case float32:
		ok = d == TypeFloat
	case float64:
		ok = d == TypeDouble
	case string:
		ok = d == TypeString
	case time.Time:
		ok = d == TypeDate
	case uuid.UUID:
		ok = d == TypeUUID
	case *big.Int:
		ok = d == TypeBigInteger
	case value.BigDecimal:
		ok = d == TypeBigDecimal
	case value.Char:
		ok = d == TypeChar
	case time.Duration:
		ok = d == TypeDuration
	case []byte:
		ok = d == TypeBytes
	case []any:
		ok = d == TypeList
	case *value.Set:
		ok = d == TypeSet
	case *value.Map:
		ok = d == TypeMap
	}
	return ok
}

// PropertyKeyDef declares a property key.
type PropertyKeyDef struct {
	Name        string
	Type        DataType
	Cardinality Cardinality // for vertex properties
}

// LabelDef declares a vertex or edge label. When Properties is not empty,
// elements of the label may only carry those keys.
type LabelDef struct {
	Name       string
	Properties []string
}

// Schema is the declared schema.
type Schema struct {
	PropertyKeys []PropertyKeyDef
	VertexLabels []LabelDef
	EdgeLabels   []LabelDef
	Indexes      []IndexDef
}

const (
	nsVertexLabel = 0
	nsEdgeLabel   = 1
	nsPropertyKey = 2
)

var nsNames = [3]string{"vertex label", "edge label", "property key"}

// schemaEntry is one interned name: a label or a property key, declared
// or only used.
type schemaEntry struct {
	id       uint32
	name     string
	declared bool
	dtype    DataType
	card     Cardinality
	allowed  []string // labels: allowed property keys (empty = any)
}

func (e *schemaEntry) encode() []byte {
	b := binary.AppendUvarint(nil, uint64(e.id))
	d := byte(0)
	if e.declared {
		d = 1
	}
	b = append(b, d, byte(e.dtype), byte(e.card))
	b = binary.AppendUvarint(b, uint64(len(e.allowed)))
	for _, k := range e.allowed {
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
	}
	return b
}

func decodeSchemaEntry(name string, b []byte) (*schemaEntry, error) {
	r := reader{b: b}
	e := &schemaEntry{name: name, id: uint32(r.uvarint())}
	e.declared = r.byte() == 1
	e.dtype = DataType(r.byte())
	e.card = Cardinality(r.byte())
	n := r.count()
	for i := 0; i < n && r.err == nil; i++ {
		e.allowed = append(e.allowed, string(r.bytes(r.uvarint())))
	}
	if r.err != nil {
		return nil, fmt.Errorf("schema entry %q: %w: %w", name, ErrCorrupt, r.err)
	}
	return e, nil
}

type namespace struct {
	byName map[string]*schemaEntry
	byID   map[uint32]*schemaEntry
}

func newNamespace() *namespace {
	return &namespace{byName: map[string]*schemaEntry{}, byID: map[uint32]*schemaEntry{}}
}

func (g *Graph) nsTable(ns int) kv.Table {
	switch ns {
	case nsVertexLabel:
		return g.t.vlabel
	case nsEdgeLabel:
		return g.t.elabel
	}
	return g.t.pkey
}

// scanAll reads a whole (small) table in one transaction.
func scanAll(tx kv.Txn, t kv.Table, fn func(k, v []byte) error) error {
	opts := kv.ScanOptions{Limit: 1024}
	for {
		p, err := tx.Scan(t, nil, nil, opts)
		if err != nil {
			return err
		}
		for i, k := range p.Keys {
			if err := fn(k, p.Values[i]); err != nil {
				return err
			}
		}
		if p.Cursor == nil {
			return nil
		}
		opts.Cursor = p.Cursor
	}
}

func (g *Graph) loadSchema(ctx context.Context) error {
	tx, err := g.store.Begin(ctx, kv.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("storage: load schema: %w", err)
	}
	defer tx.Rollback()
	var names [3]*namespace
	for ns := range names {
		names[ns] = newNamespace()
		err := scanAll(tx, g.nsTable(ns), func(k, v []byte) error {
			e, err := decodeSchemaEntry(string(k), v)
			if err != nil {
				return err
			}
			names[ns].byName[e.name] = e
			names[ns].byID[e.id] = e
			return nil
		})
		if err != nil {
			return fmt.Errorf("storage: load %ss: %w", nsNames[ns], err)
		}
	}
	indexes := map[string]*indexDef{}
	byID := map[uint32]*indexDef{}
	err = scanAll(tx, g.t.idxLabel, func(k, v []byte) error {
		d, err := decodeIndexDef(string(k), v)
		if err != nil {
			return err
		}
		indexes[d.Name] = d
		byID[d.id] = d
		return nil
	})
	if err != nil {
		return fmt.Errorf("storage: load indexes: %w", err)
	}
	g.schemaMu.Lock()
	g.names, g.indexes, g.idxByID = names, indexes, byID
	g.indexesChanged()
	for ns := range names {
		g.nameTab[ns].Store(nil)
		for id, e := range names[ns].byID {
			g.setNameLocked(ns, id, e.name)
		}
	}
	g.schemaMu.Unlock()
	return nil
}

// lookupName returns the interned entry of name, if any.
func (g *Graph) lookupName(ns int, name string) (*schemaEntry, bool) {
	g.schemaMu.RLock()
	e, ok := g.names[ns].byName[name]
	g.schemaMu.RUnlock()
	return e, ok
}

// maxNameTab bounds the ids nameTab holds (ids are small sequence numbers;
// a larger one is looked up in the map).
const maxNameTab = 1 << 16

// setNameLocked records the name of id in nameTab (schemaMu held for
// writing). The name of an id never changes once interned, so readers of
// nameTab need no lock.
func (g *Graph) setNameLocked(ns int, id uint32, name string) {
	if id >= maxNameTab {
		return
	}
	var cur []string
	if p := g.nameTab[ns].Load(); p != nil {
		cur = *p
	}
	if int(id) < len(cur) && cur[id] == name {
		return
	}
	next := make([]string, max(len(cur), int(id)+1))
	copy(next, cur)
	next[id] = name
	g.nameTab[ns].Store(&next)
}

// quickName returns the name of id from nameTab, without locking.
func (g *Graph) quickName(ns int, id uint32) (string, bool) {
	if p := g.nameTab[ns].Load(); p != nil && int(id) < len(*p) {
		if n := (*p)[id]; n != "" {
			return n, true
		}
	}
	return "", false
}

// nameOf returns the name of an interned id.
func (g *Graph) nameOf(ns int, id uint32) (string, error) {
	if n, ok := g.quickName(ns, id); ok {
		return n, nil
	}
	g.schemaMu.RLock()
	e, ok := g.names[ns].byID[id]
	g.schemaMu.RUnlock()
	if !ok {
		return "", fmt.Errorf("storage: unknown %s id %d: %w", nsNames[ns], id, ErrCorrupt)
	}
	return e.name, nil
}

func seqKey(ns int) []byte { return []byte("seq:" + nsNames[ns]) }

// intern returns the entry of name, creating an undeclared one in its own
// committed KV transaction if needed.
func (g *Graph) intern(ctx context.Context, ns int, name string) (*schemaEntry, error) {
	if e, ok := g.lookupName(ns, name); ok {
		return e, nil
	}
	return g.putEntry(ctx, ns, name, func(e *schemaEntry, existed bool) (*schemaEntry, error) { return e, nil })
}

// putEntry reads or creates the entry of name and lets change edit it; the
// result is written back and cached.
func (g *Graph) putEntry(ctx context.Context, ns int, name string, change func(e *schemaEntry, existed bool) (*schemaEntry, error)) (*schemaEntry, error) {
	if name == "" {
		return nil, fmt.Errorf("storage: an empty %s is not allowed: %w", nsNames[ns], ErrInvalidArgument)
	}
	var out *schemaEntry
	t := g.nsTable(ns)
	err := g.update(ctx, func(tx kv.Txn) error {
		v, err := tx.Get(t, []byte(name))
		var e *schemaEntry
		existed := err == nil
		switch {
		case err == nil:
			if e, err = decodeSchemaEntry(name, v); err != nil {
				return err
			}
		case errors.Is(err, kv.ErrKeyNotFound):
			seq := uint64(0)
			if sv, err := tx.Get(g.t.meta, seqKey(ns)); err == nil {
				seq, _ = binary.Uvarint(sv)
			} else if !errors.Is(err, kv.ErrKeyNotFound) {
				return err
			}
			seq++
			if err := tx.Set(g.t.meta, seqKey(ns), binary.AppendUvarint(nil, seq)); err != nil {
				return err
			}
			e = &schemaEntry{id: uint32(seq), name: name}
		default:
			return err
		}
		before := string(e.encode())
		e2, err := change(e, existed)
		if err != nil {
			return err
		}
		if !existed || string(e2.encode()) != before {
			if err := tx.Set(t, []byte(name), e2.encode()); err != nil {
				return err
			}
		}
		out = e2
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("storage: intern %s %q: %w", nsNames[ns], name, err)
	}
	g.schemaMu.Lock()
	g.names[ns].byName[name] = out
	g.names[ns].byID[out.id] = out
	g.setNameLocked(ns, out.id, out.name)
	g.schemaMu.Unlock()
	g.bump(0)
	return out, nil
}

// DefinePropertyKey declares a property key's type and cardinality. Later
// writes are validated against it. Existing data is not re-checked.
func (g *Graph) DefinePropertyKey(ctx context.Context, def PropertyKeyDef) error {
	if def.Type >= typeCount {
		return fmt.Errorf("storage: property key %q: unknown data type %d: %w", def.Name, def.Type, ErrInvalidArgument)
	}
	if def.Cardinality < Single || def.Cardinality > Set {
		return fmt.Errorf("storage: property key %q: unknown cardinality %d: %w", def.Name, def.Cardinality, ErrInvalidArgument)
	}
	_, err := g.putEntry(ctx, nsPropertyKey, def.Name, func(e *schemaEntry, _ bool) (*schemaEntry, error) {
		if e.declared && (e.dtype != def.Type || e.card != def.Cardinality) {
			return nil, fmt.Errorf("property key %q is already declared as %s with cardinality %s: %w",
				def.Name, e.dtype, cardName(e.card), ErrInvalidArgument)
		}
		e2 := *e
		e2.declared, e2.dtype, e2.card = true, def.Type, def.Cardinality
		return &e2, nil
	})
	return err
}

// DefineVertexLabel declares a vertex label.
func (g *Graph) DefineVertexLabel(ctx context.Context, def LabelDef) error {
	return g.defineLabel(ctx, nsVertexLabel, def)
}

// DefineEdgeLabel declares an edge label.
func (g *Graph) DefineEdgeLabel(ctx context.Context, def LabelDef) error {
	return g.defineLabel(ctx, nsEdgeLabel, def)
}

func (g *Graph) defineLabel(ctx context.Context, ns int, def LabelDef) error {
	allowed := append([]string(nil), def.Properties...)
	sort.Strings(allowed)
	_, err := g.putEntry(ctx, ns, def.Name, func(e *schemaEntry, _ bool) (*schemaEntry, error) {
		e2 := *e
		e2.declared, e2.allowed = true, allowed
		return &e2, nil
	})
	return err
}

// Schema returns the declared property keys, labels and indexes.
func (g *Graph) Schema() Schema {
	g.schemaMu.RLock()
	defer g.schemaMu.RUnlock()
	var s Schema
	for _, e := range g.names[nsPropertyKey].byName {
		if e.declared {
			s.PropertyKeys = append(s.PropertyKeys, PropertyKeyDef{Name: e.name, Type: e.dtype, Cardinality: e.card})
		}
	}
	for ns, out := range map[int]*[]LabelDef{nsVertexLabel: &s.VertexLabels, nsEdgeLabel: &s.EdgeLabels} {
		for _, e := range g.names[ns].byName {
			if e.declared {
				*out = append(*out, LabelDef{Name: e.name, Properties: append([]string(nil), e.allowed...)})
			}
		}
	}
	for _, d := range g.indexes {
		s.Indexes = append(s.Indexes, d.IndexDef)
	}
	sort.Slice(s.PropertyKeys, func(i, j int) bool { return s.PropertyKeys[i].Name < s.PropertyKeys[j].Name })
	sort.Slice(s.VertexLabels, func(i, j int) bool { return s.VertexLabels[i].Name < s.VertexLabels[j].Name })
	sort.Slice(s.EdgeLabels, func(i, j int) bool { return s.EdgeLabels[i].Name < s.EdgeLabels[j].Name })
	sort.Slice(s.Indexes, func(i, j int) bool { return s.Indexes[i].Name < s.Indexes[j].Name })
	return s
}

func cardName(c Cardinality) string {
	switch c {
	case Single:
		return "single"
	case List:
		return "list"
	case Set:
		return "set"
	}
	return fmt.Sprintf("Cardinality(%d)", c)
}

// checkValue validates one property write against the declared schema.
func (g *Graph) checkValue(label *schemaEntry, key *schemaEntry, card Cardinality, v any, vertex bool) error {
	if label != nil && label.declared && len(label.allowed) > 0 {
		i := sort.SearchStrings(label.allowed, key.name)
		if i == len(label.allowed) || label.allowed[i] != key.name {
			return &SchemaError{Key: key.name, Label: label.name, Expected: fmt.Sprintf("one of the keys declared for the label %v", label.allowed), Given: v}
		}
	}
	if !key.declared {
		return nil
	}
	if !key.dtype.Accepts(v) {
		return &SchemaError{Key: key.name, Label: labelName(label), Expected: key.dtype.String(), Given: v}
	}
	if vertex && key.card == Single && card != Single {
		return &SchemaError{Key: key.name, Label: labelName(label), Expected: "single cardinality (a " + cardName(card) + " write was given)", Given: v}
	}
	return nil
}

func labelName(e *schemaEntry) string {
	if e == nil {
		return ""
	}
	return e.name
}

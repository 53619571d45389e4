package storage

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
)

var (
	// ErrSchemaNotFound: no declared property key or label has the name.
	ErrSchemaNotFound = errors.New("schema element not found")
	// ErrSchemaInUse: an index, a label or stored elements still use the
	// property key or label being removed.
	ErrSchemaInUse = errors.New("schema element in use")
)

// RemovePropertyKey removes the declaration of a property key: its data
// type and cardinality are no longer enforced. It is refused while an
// index covers the key or a declared label lists it among its properties
// (the error names them). Stored values of the key are kept (the name
// stays interned: stored rows refer to it by id), so the key reads as an
// undeclared one afterwards.
func (g *Graph) RemovePropertyKey(ctx context.Context, name string) error {
	e, ok := g.lookupName(nsPropertyKey, name)
	if !ok || !e.declared {
		return fmt.Errorf("storage: remove property key %q: %w", name, ErrSchemaNotFound)
	}
	var users []string
	g.schemaMu.RLock()
	for _, d := range g.indexes {
		for _, k := range d.Keys {
			if k == name {
				users = append(users, "index "+quoteName(d.Name))
				break
			}
		}
	}
	for ns, what := range map[int]string{nsVertexLabel: "vertex label ", nsEdgeLabel: "edge label "} {
		for _, l := range g.names[ns].byName {
			if !l.declared {
				continue
			}
			for _, k := range l.allowed {
				if k == name {
					users = append(users, what+quoteName(l.name))
					break
				}
			}
		}
	}
	g.schemaMu.RUnlock()
	if len(users) > 0 {
		sort.Strings(users)
		return fmt.Errorf("storage: remove property key %q: %w: used by %s (remove those first)", name, ErrSchemaInUse, strings.Join(users, ", "))
	}
	return g.undeclare(ctx, nsPropertyKey, name)
}

// RemoveVertexLabel removes the declaration of a vertex label. It is
// refused while vertices of the label exist or an index is restricted to
// it (the error says which).
func (g *Graph) RemoveVertexLabel(ctx context.Context, name string) error {
	return g.removeLabel(ctx, nsVertexLabel, name)
}

// RemoveEdgeLabel removes the declaration of an edge label. It is refused
// while edges of the label exist or an index is restricted to it.
func (g *Graph) RemoveEdgeLabel(ctx context.Context, name string) error {
	return g.removeLabel(ctx, nsEdgeLabel, name)
}

func (g *Graph) removeLabel(ctx context.Context, ns int, name string) error {
	what := nsNames[ns]
	e, ok := g.lookupName(ns, name)
	if !ok || !e.declared {
		return fmt.Errorf("storage: remove %s %q: %w", what, name, ErrSchemaNotFound)
	}
	elem := VertexElement
	if ns == nsEdgeLabel {
		elem = EdgeElement
	}
	var users []string
	g.schemaMu.RLock()
	for _, d := range g.indexes {
		if d.Element == elem && d.Label == name {
			users = append(users, "index "+quoteName(d.Name))
		}
	}
	g.schemaMu.RUnlock()
	if len(users) > 0 {
		sort.Strings(users)
		return fmt.Errorf("storage: remove %s %q: %w: used by %s (remove those first)", what, name, ErrSchemaInUse, strings.Join(users, ", "))
	}
	tx, err := g.BeginTx(ctx, TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	var found bool
	var ferr error
	if elem == VertexElement {
		it := tx.ScanVertices(name)
		_, found = it.Next()
		ferr = it.Err()
		it.Close()
	} else {
		it := tx.ScanEdges(name)
		_, found = it.Next()
		ferr = it.Err()
		it.Close()
	}
	tx.Rollback()
	if ferr != nil {
		return fmt.Errorf("storage: remove %s %q: %w", what, name, ferr)
	}
	if found {
		n := g.Stats().VerticesByLabel[name]
		noun := "vertices"
		if elem == EdgeElement {
			n, noun = g.Stats().EdgesByLabel[name], "edges"
		}
		count := ""
		if n > 0 {
			count = fmt.Sprintf(" (%d)", n)
		}
		return fmt.Errorf("storage: remove %s %q: %w: %s of the label exist%s (drop them first)", what, name, ErrSchemaInUse, noun, count)
	}
	return g.undeclare(ctx, ns, name)
}

// undeclare clears an entry's declaration, keeping its interned id.
func (g *Graph) undeclare(ctx context.Context, ns int, name string) error {
	_, err := g.putEntry(ctx, ns, name, func(e *schemaEntry, existed bool) (*schemaEntry, error) {
		if !existed || !e.declared {
			return nil, fmt.Errorf("%w: %s %q", ErrSchemaNotFound, nsNames[ns], name)
		}
		return &schemaEntry{id: e.id, name: e.name}, nil
	})
	return err
}

func quoteName(s string) string { return fmt.Sprintf("%q", s) }

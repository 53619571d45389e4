package storage

import (
	"encoding/binary"
	"fmt"

	"github.com/kvtgraph/kvtgraph/index"
	"github.com/kvtgraph/kvtgraph/storage/kv"
)

// lookupExists answers index.OpExists: the encoded ids of every element
// with an entry in a one-key exact, unique or range index (the elements
// that have the key), each once, in index order, stopping after limit ids
// when limit > 0.
func (tx *Tx) lookupExists(d *indexDef, limit int) ([][]byte, error) {
	if len(d.Keys) != 1 || d.Kind == index.Text {
		return nil, fmt.Errorf("storage: lookup in %s index %q over %v: %s needs a one-key exact, unique or range index: %w",
			d.Kind, d.Name, d.Keys, index.OpExists, ErrInvalidArgument)
	}
	prefix := binary.AppendUvarint(nil, uint64(d.id))
	unique := d.Kind == index.Unique
	sc := tx.newScanner(tx.g.indexTable(d.Kind), prefix, kv.PrefixEnd(prefix), !unique)
	var out [][]byte
	seen := map[string]bool{}
	for {
		k, v, ok := sc.next()
		if !ok {
			return out, sc.err
		}
		id := v
		if !unique {
			rest := k[len(prefix):]
			n, err := index.SkipValue(rest)
			if err != nil {
				return nil, fmt.Errorf("storage: index %q: %w: %w", d.Name, ErrCorrupt, err)
			}
			id = rest[n:]
		}
		if seen[string(id)] {
			continue
		}
		seen[string(id)] = true
		out = append(out, append([]byte(nil), id...))
		if limit > 0 && len(out) >= limit {
			return out, nil
		}
	}
}

package storage

import (
	"fmt"
)

// Prefetch looks up, with one MultiGet, which of the given vertex ids
// exist (and their labels), so that the AddEdge endpoint checks and the
// AddVertex duplicate-id checks that follow in this transaction need no
// Get each. Loaders call it once per batch with the ids the batch names.
// Ids already known to the transaction and ids that are not valid vertex
// ids are skipped. It is only an optimisation: results are the same
// without it. What it learns lasts until the transaction ends.
func (tx *Tx) Prefetch(vids []any) error {
	if err := tx.usable(); err != nil {
		return err
	}
	keys := make([][]byte, 0, len(vids))
	for _, id := range vids {
		if id == nil {
			continue
		}
		k, err := encodeID(id)
		if err != nil {
			continue // AddVertex/AddEdge report it
		}
		if tx.known.has(k) {
			continue
		}
		if _, ok := tx.absent[string(k)]; ok {
			continue
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil
	}
	vals, err := tx.reader().MultiGet(tx.g.t.vertex, keys)
	if err != nil {
		return mapKVErr("storage: prefetch vertices", err)
	}
	if tx.absent == nil {
		tx.absent = make(map[string]struct{})
	}
	for i, b := range vals {
		if b == nil {
			tx.absent[string(keys[i])] = struct{}{}
			continue
		}
		l, err := rowLabel(b)
		if err != nil {
			return fmt.Errorf("storage: prefetch vertex %x: %w", keys[i], err)
		}
		tx.known.put(keys[i], l)
	}
	return nil
}

// Prefetch implements it for the current batch.
func (b *bulkTx) Prefetch(vids []any) error {
	if err := b.check(); err != nil {
		return err
	}
	return b.cur.Prefetch(vids)
}

// knownAbsent reports whether vertex key vk is known not to exist: a
// Prefetch found it missing and the transaction has not written it since
// (writes put it in known, which callers check first).
func (tx *Tx) knownAbsent(vk []byte) bool {
	_, ok := tx.absent[string(vk)]
	return ok
}

// endpointLabel is vertexLabelOf that also trusts Prefetch's absences.
func (tx *Tx) endpointLabel(vk []byte, id any) (uint32, error) {
	if l, ok := tx.known.get(vk); ok {
		return l, nil
	}
	if tx.knownAbsent(vk) {
		return 0, fmt.Errorf("storage: vertex %v: %w", id, ErrVertexNotFound)
	}
	return tx.vertexLabelOf(vk, id)
}

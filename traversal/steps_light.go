package traversal

import "github.com/kvtgraph/kvtgraph/storage"

// Light vertex scans.
//
// When a root traversal starts with V() (no ids) or the planner's label
// scan of one label (kvt:scanV), and what follows reads nothing of the
// vertex but its id or label (hasId/hasLabel filters, then id(), label()
// or count()), the start step reads reference vertices through
// storage.VertexRefScanner: no property is decoded, and a label scan
// reads only label-index keys. The vertices never reach a path (the
// fusion is off when paths or as() labels are kept) and a reference
// vertex loads its properties on demand anyway, so results are the same.
// Partition and subgraph strategies turn it off (they filter vertices on
// their properties). withoutStrategies(KvtLightScanStrategy) turns it off
// too.
//
// When what ends the reads is values(k1, ..., kn) instead, the start step
// reads vertices through storage.VertexValuesScanner: each row is walked
// but only the properties of k1..kn are decoded. Such a vertex holds a
// subset of its properties, which is safe only because nothing but the
// values step ever sees it (same conditions as above).

const lightScanStrategy = "KvtLightScanStrategy"

// lightScanHook, when set (tests only), is called each time a start step
// reads light vertices.
var lightScanHook func(label string, mode storage.VertexRefMode)

// lightValuesHook, when set (tests only), is called each time a start
// step reads vertices restricted to the keys of a values step.
var lightValuesHook func(label string, keys []string)

// fuseLightScan rewrites the start step of a root pipeline (see above).
func (c *compiler) fuseLightScan(steps []step) {
	if len(steps) < 2 || c.needFull || c.needLabels || c.src.partition != nil || c.src.subgraph != nil ||
		c.src.without[lightScanStrategy] {
		return
	}
	first := steps[0].base()
	rec, ok := c.instr[first.id]
	if !ok || len(first.labels) > 0 {
		return
	}
	label := ""
	switch {
	case rec.op == "V" && len(rec.args) == 0:
	case rec.op == OpScanV && len(rec.args) == 1:
		l, ok := rec.args[0].(string)
		if !ok || l == "" {
			return
		}
		label = l
	default:
		return
	}
	// Only hasId/hasLabel filters may come before the id(), label(),
	// count() or values(keys) that ends what is read of the vertices.
	mode, found := storage.RefID, false
	var keys []string // values(keys) ends the reads
	for _, s := range steps[1:] {
		r, ok := c.instr[s.base().id]
		if !ok || len(s.base().labels) > 0 {
			return
		}
		switch r.op {
		case "hasId":
			continue
		case "hasLabel":
			mode = storage.RefIDLabel
			continue
		case "label":
			mode = storage.RefIDLabel
		case "id":
		case "count":
			if len(r.args) != 0 {
				return
			}
		case "values":
			if len(r.args) == 0 {
				return // all the properties: nothing to skip
			}
			for _, a := range r.args {
				k, ok := a.(string)
				if !ok {
					return
				}
				keys = append(keys, k)
			}
		default:
			return
		}
		found = true
		break
	}
	if !found {
		return
	}
	if keys != nil {
		steps[0] = &flatMapStep{stepBase: *first, f: func(x *exec, t *trav) valIter {
			if vs, ok := x.tx.(storage.VertexValuesScanner); ok {
				if lightValuesHook != nil {
					lightValuesHook(label, keys)
				}
				return x.vertexIter(vs.ScanVertexValues(label, keys))
			}
			return x.vertexIter(x.tx.ScanVertices(label))
		}}
		return
	}
	steps[0] = &flatMapStep{stepBase: *first, f: func(x *exec, t *trav) valIter {
		if rs, ok := x.tx.(storage.VertexRefScanner); ok {
			if lightScanHook != nil {
				lightScanHook(label, mode)
			}
			return x.vertexIter(rs.ScanVertexRefs(label, mode))
		}
		return x.vertexIter(x.tx.ScanVertices(label))
	}}
}

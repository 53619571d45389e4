package planner

import (
	"fmt"
	"strings"

	"github.com/kvtgraph/kvtgraph/index"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// Node is one operator of a printed plan. Nodes are small immutable
// values; String renders them for explain() and the golden tests.
type Node interface {
	String() string
	node()
}

// DirectGet reads elements by id with one multi-get.
type DirectGet struct {
	Edges bool
	IDs   []any
}

// FullScan walks the whole vertex or edge table.
type FullScan struct{ Edges bool }

// LabelScan walks the label index: one range scan per label.
type LabelScan struct {
	Edges  bool
	Labels []string
}

// IndexLookup reads the ids an index selects, then multi-gets them.
type IndexLookup struct {
	Edges    bool
	Index    string
	Kind     index.Kind
	Keys     []string
	Pred     *value.P
	Estimate int64 // entries touched, -1 when unknown
}

// IndexUnion reads the ids several index lookups select (one per branch
// of an or()), each element once, then multi-gets them in id order.
type IndexUnion struct {
	Edges   bool
	Lookups []IndexLookup
}

// Expand walks adjacency: one range scan of edge_out/edge_in per label.
type Expand struct {
	Dir    string // OUT, IN, BOTH
	Labels []string
	Edges  bool // emits edges (outE) rather than vertices (out)
}

// Filter is a step kept as a filter over what the access step returned.
type Filter struct{ Step string }

// CountPushdown counts adjacency keys without decoding edges.
type CountPushdown struct {
	Dir    string
	Labels []string
}

// Step is any other step, run by the traversal engine as written.
type Step struct{ Step string }

func elemName(edges bool) string {
	if edges {
		return "edge"
	}
	return "vertex"
}

func (n DirectGet) String() string {
	return fmt.Sprintf("DirectGet(%s,ids=%s)", elemName(n.Edges), javaString(n.IDs))
}

func (n FullScan) String() string {
	return fmt.Sprintf("RangeScan(table=%s,prefix=[])", elemName(n.Edges))
}

func (n LabelScan) String() string {
	parts := make([]string, len(n.Labels))
	for i, l := range n.Labels {
		parts[i] = elemName(n.Edges) + ":" + l
	}
	return fmt.Sprintf("RangeScan(table=label_index,prefix=[%s])", strings.Join(parts, ", "))
}

func (n IndexLookup) String() string {
	est := ""
	if n.Estimate >= 0 {
		est = fmt.Sprintf(",estimate=%d", n.Estimate)
	}
	return fmt.Sprintf("IndexLookup(index=%s,%s,table=%s,%s,%s%s)", n.Index, n.Kind, indexTable(n.Kind),
		elemName(n.Edges), predString(strings.Join(n.Keys, "+"), n.Pred), est)
}

func (n IndexUnion) String() string {
	parts := make([]string, len(n.Lookups))
	for i, l := range n.Lookups {
		parts[i] = l.String()
	}
	return "IndexUnion(" + strings.Join(parts, ", ") + ")"
}

func (n Expand) String() string {
	emit := "vertex"
	if n.Edges {
		emit = "edge"
	}
	return fmt.Sprintf("RangeScan(table=%s,prefix=[id:%s],%s)", adjTable(n.Dir), labelList(n.Labels), emit)
}

func (n Filter) String() string { return "Filter(" + n.Step + ")" }

func (n CountPushdown) String() string {
	return fmt.Sprintf("CountPushdown(table=%s,prefix=[id:%s])", adjTable(n.Dir), labelList(n.Labels))
}

func (n Step) String() string { return n.Step }

func (DirectGet) node()     {}
func (FullScan) node()      {}
func (LabelScan) node()     {}
func (IndexLookup) node()   {}
func (IndexUnion) node()    {}
func (Expand) node()        {}
func (Filter) node()        {}
func (CountPushdown) node() {}
func (Step) node()          {}

func labelList(ls []string) string {
	if len(ls) == 0 {
		return "*"
	}
	return strings.Join(ls, "|")
}

func adjTable(dir string) string {
	switch dir {
	case "OUT":
		return "edge_out"
	case "IN":
		return "edge_in"
	}
	return "edge_out+edge_in"
}

func indexTable(k index.Kind) string {
	switch k {
	case index.Range:
		return "range_index"
	case index.Text:
		return "search_index"
	case index.Unique:
		return "unique_index"
	}
	return "secondary_index"
}

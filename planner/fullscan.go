package planner

import (
	"fmt"
	"strings"
)

// FullScanPolicy says what happens to a traversal the planner can only
// answer by reading a whole vertex or edge table to evaluate its filters
// (g.V().has('name','x') without an index on name).
type FullScanPolicy string

const (
	// FullScanAllow runs it (the default).
	FullScanAllow FullScanPolicy = "allow"
	// FullScanWarn runs it and logs a warning naming the traversal.
	FullScanWarn FullScanPolicy = "warn"
	// FullScanRefuse fails the request, naming the step and suggesting an
	// index.
	FullScanRefuse FullScanPolicy = "refuse"
)

// ParseFullScanPolicy parses allow, warn or refuse ("" is allow).
func ParseFullScanPolicy(s string) (FullScanPolicy, error) {
	switch p := FullScanPolicy(strings.ToLower(strings.TrimSpace(s))); p {
	case "":
		return FullScanAllow, nil
	case FullScanAllow, FullScanWarn, FullScanRefuse:
		return p, nil
	}
	return "", fmt.Errorf("planner: full_scan %q: want allow, warn or refuse", s)
}

// scanFilterOps are the filters a full scan evaluates element by element.
var scanFilterOps = map[string]bool{"has": true, "hasLabel": true, "hasId": true, "hasNot": true,
	"hasKey": true, "hasValue": true, "or": true, "and": true}

// FullScanInfo describes a plan that reads every vertex (or edge) to filter
// them: the root starts with V() or E() without ids and the planner found
// no id, label or index access for the filters right after it. A bare
// g.V() (no filter) is not one: it asks for every element.
type FullScanInfo struct {
	Edges bool
	// Filters are the filter steps evaluated over the scan, as explain()
	// prints them.
	Filters []string
	// Keys are the property keys the filters test (an index on one of
	// them would avoid the scan).
	Keys []string
}

// FilteredFullScan reports whether the plan is a full scan with filters.
func (p *QueryPlan) FilteredFullScan() (FullScanInfo, bool) {
	if p == nil || p.Bytecode == nil || len(p.Bytecode.Steps) < 2 {
		return FullScanInfo{}, false
	}
	start := p.Bytecode.Steps[0]
	if (start.Operator != "V" && start.Operator != "E") || len(start.Args) != 0 {
		return FullScanInfo{}, false
	}
	info := FullScanInfo{Edges: start.Operator == "E"}
	seen := map[string]bool{}
	addKey := func(k string) {
		if k != "" && !strings.HasPrefix(k, "~") && !seen[k] {
			seen[k] = true
			info.Keys = append(info.Keys, k)
		}
	}
	for _, in := range p.Bytecode.Steps[1:] {
		if in.Operator == "as" {
			continue
		}
		if !scanFilterOps[in.Operator] {
			break
		}
		info.Filters = append(info.Filters, stepString(in))
		if k, ok := existsKey(in); ok {
			addKey(k)
		}
		if conds, ok := hasConds(in); ok {
			for _, c := range conds {
				addKey(c.key)
			}
		}
		if branches, ok := orBranches(in); ok {
			for _, br := range branches {
				for _, s := range br.Steps {
					if conds, ok := hasConds(s); ok {
						for _, c := range conds {
							addKey(c.key)
						}
					}
				}
			}
		}
	}
	return info, len(info.Filters) > 0
}

// Traversal renders the original traversal as TinkerPop prints one.
func (p *QueryPlan) Traversal() string {
	if p == nil || p.Original == nil {
		return "[]"
	}
	return "[" + strings.Join(renderSteps(p.Original.Steps), ", ") + "]"
}

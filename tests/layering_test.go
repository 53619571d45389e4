package tests

import (
	"os/exec"
	"strings"
	"testing"
)

// rank orders the layers: a package may import packages of equal or lower
// rank only (gremlin → traversal/planner → storage/index → native).
func rank(pkg string) (int, bool) {
	const mod = "github.com/kvtgraph/kvtgraph/"
	if !strings.HasPrefix(pkg, mod) {
		return 0, false
	}
	top := strings.SplitN(strings.TrimPrefix(pkg, mod), "/", 2)[0]
	switch top {
	case "native":
		return 0, true
	case "storage", "index":
		return 1, true
	case "traversal", "planner":
		return 2, true
	case "gremlin", "conf":
		return 3, true
	case "cmd", "tests":
		return 4, true
	}
	return 0, false
}

// TestLayering fails when a lower layer imports a higher one.
func TestLayering(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "github.com/kvtgraph/kvtgraph/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		from, ok := rank(fields[0])
		if !ok {
			continue
		}
		checked++
		for _, imp := range fields[1:] {
			to, ok := rank(imp)
			if ok && to > from {
				t.Errorf("layering: %s (layer %d) imports %s (layer %d); lower layers must not import higher ones", fields[0], from, imp, to)
			}
		}
	}
	if checked < 3 {
		t.Fatalf("layering check saw only %d packages; go list output was %q", checked, out)
	}
}

// TestServerLeavesTestOnlyPackagesOut fails when the server binary links a
// package meant only for tests: the in-memory reference store, the KV
// conformance suite or the test fixtures. The server always runs on KVT.
func TestServerLeavesTestOnlyPackagesOut(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/kvtgraph/kvtgraph/cmd/kvtgraph").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps printed only %q", out)
	}
	for _, d := range deps {
		switch d {
		case "github.com/kvtgraph/kvtgraph/storage/kv/memkv",
			"github.com/kvtgraph/kvtgraph/storage/kv/kvtest",
			"github.com/kvtgraph/kvtgraph/storage/graphtest",
			"testing":
			t.Errorf("cmd/kvtgraph links %s, a package meant only for tests", d)
		}
	}
}

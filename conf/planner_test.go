package conf

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPlannerFullScan(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "k.yaml")
	yaml := `
graphs:
  - {name: a, in_memory: true, planner: {full_scan: Refuse}}
  - {name: b, in_memory: true}
sources: {g: a}
`
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := c.Graph("a"); a.Planner.FullScan != FullScanRefuse {
		t.Fatalf("a: full_scan = %q", a.Planner.FullScan)
	}
	if b, _ := c.Graph("b"); b.Planner.FullScan != FullScanAllow {
		t.Fatalf("b: full_scan = %q, want the default allow", b.Planner.FullScan)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(yaml, "Refuse", "deny", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(Options{Path: path}); err == nil || !strings.Contains(err.Error(), "planner.full_scan") {
		t.Fatalf("full_scan: deny: %v", err)
	}
	// The shipped file documents and sets the option.
	c, err = Load(Options{Path: "kvtgraph.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if g, _ := c.Graph("graph"); g.Planner.FullScan != FullScanAllow {
		t.Fatalf("kvtgraph.yaml: full_scan = %q", g.Planner.FullScan)
	}
}

package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// kvtgraph runs the built binary with env added and returns its stdout,
// stderr and exit error.
func kvtgraph(t *testing.T, env []string, args ...string) (string, string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), startupLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, kvtgraphBin, args...)
	cmd.Dir = repoRoot
	cmd.Env = append(append(os.Environ(), "KVTGRAPH_TINKERPOP_DIR="+tinkerpopDir), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	return out.String(), errOut.String(), err
}

// TestCLILoadServeCheckExport loads grateful-dead.json with `kvtgraph
// load` into a durable data directory, serves it and queries it, then
// checks and exports it with the binary while the server is down.
func TestCLILoadServeCheckExport(t *testing.T) {
	data := t.TempDir()
	env := []string{"KVTGRAPH_E2E_DATA=" + data}
	cfg := testdata("durable.yaml")

	out, errOut, err := kvtgraph(t, env, "load", "--config", cfg, "--graph", "graph", dataFile("grateful-dead.json"))
	if err != nil {
		t.Fatalf("kvtgraph load: %v\n%s%s", err, out, errOut)
	}
	if !regexp.MustCompile(`^loaded 808 vertices, 8,049 edges in \S+ \([0-9,]+ edges/s\) into graph graph\n$`).MatchString(out) {
		t.Fatalf("load summary %q", out)
	}
	if !strings.Contains(errOut, "] 100%  808 vertices, 8,049 edges") {
		t.Fatalf("load progress: %q", errOut)
	}

	s := startServer(t, cfg, env...)
	g := s.traversal("g")
	for what, want := range map[string]int64{"V": 808, "E": 8049} {
		tr := g.V().Count()
		if what == "E" {
			tr = g.E().Count()
		}
		r, err := tr.Next()
		if err != nil || toInt64(t, r) != want {
			t.Fatalf("%s count over the loaded graph: %v %v, want %d", what, r, err, want)
		}
	}
	r, err := g.V().Has("song", "name", "DARK STAR").Out("sungBy").Values("name").Next()
	if err != nil || r.GetString() != "Garcia" {
		t.Fatalf("DARK STAR sung by %v %v, want Garcia", r, err)
	}
	s.stop()

	out, errOut, err = kvtgraph(t, env, "check", "--config", cfg, "--graph", "graph")
	if err != nil || !strings.HasPrefix(out, "graph graph: 808 vertices, 8,049 edges") || !strings.HasSuffix(out, "ok\n") {
		t.Fatalf("kvtgraph check: %v\n%s%s", err, out, errOut)
	}
	export := filepath.Join(t.TempDir(), "gd.xml")
	if _, errOut, err = kvtgraph(t, env, "export", "--config", cfg, "--graph", "graph", export); err != nil {
		t.Fatalf("kvtgraph export: %v\n%s", err, errOut)
	}
	if !strings.Contains(errOut, "exported 808 vertices, 8,049 edges (graphml, ") {
		t.Fatalf("export summary: %q", errOut)
	}
	xml, err := os.ReadFile(export)
	if err != nil {
		t.Fatal(err)
	}
	if n, e := bytes.Count(xml, []byte("<node ")), bytes.Count(xml, []byte("<edge ")); n != 808 || e != 8049 {
		t.Fatalf("GraphML export holds %d nodes and %d edges", n, e)
	}
	// Unknown graphs and damaged input fail with a non-zero exit.
	if _, errOut, err := kvtgraph(t, env, "check", "--config", cfg, "--graph", "nope"); err == nil || !strings.Contains(errOut, `"nope"`) {
		t.Fatalf("check of an unknown graph: %v %q", err, errOut)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte("{\"id\":1,\"label\":\"x\"}\n{not json\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, err := kvtgraph(t, env, "load", "--config", cfg, "--graph", "graph", "--no-progress", bad); err == nil || !strings.Contains(errOut, "bad.json:2") {
		t.Fatalf("load of malformed GraphSON: %v %q", err, errOut)
	}
}

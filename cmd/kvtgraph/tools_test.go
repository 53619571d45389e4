package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/conf"
	"github.com/kvtgraph/kvtgraph/storage/kv"
)

// sampleData returns a file of TinkerPop's sample data (../shared/tinkerpop
// or KVTGRAPH_TINKERPOP_DIR); the test fails when it is missing.
func sampleData(t *testing.T, name string) string {
	t.Helper()
	dir := os.Getenv("KVTGRAPH_TINKERPOP_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "tinkerpop")
	}
	p, err := filepath.Abs(filepath.Join(dir, "data", name))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("TinkerPop sample data missing (set KVTGRAPH_TINKERPOP_DIR): %v", err)
	}
	return p
}

// runCmd runs the CLI in process and returns its stdout and stderr.
func runCmd(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetIn(strings.NewReader(""))
	root.SetArgs(args)
	err = root.Execute()
	return out.String(), errOut.String(), err
}

// durableConfig configures durable graphs (fsync always) named names, each
// in its own directory under dir.
func durableConfig(t *testing.T, dir string, names ...string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("log: {level: warn}\ngraphs:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  - {name: %s, data: %q, fsync: always, id_type: int64}\n", n, filepath.Join(dir, n))
	}
	b.WriteString("sources: {g: " + names[0] + "}\n")
	return writeConfig(t, b.String())
}

var loadedLine = regexp.MustCompile(`^loaded 808 vertices, 8,049 edges in [0-9.]+(ms|s|µs|m[0-9.]+s) \([0-9,]+ edges/s\) into graph (\w+)\n$`)

// TestLoadCheckExportGratefulDead loads grateful-dead.json into a durable
// graph, checks it, exports it as GraphSON and GraphML, loads both exports
// into fresh graphs and checks that nothing was lost or changed.
func TestLoadCheckExportGratefulDead(t *testing.T) {
	src := sampleData(t, "grateful-dead.json")
	work := t.TempDir()
	cfg := durableConfig(t, work, "gd", "fromjson", "fromxml")

	out, errOut, err := runCmd(t, "load", "--config", cfg, "--graph", "gd", src)
	if err != nil {
		t.Fatalf("load: %v\n%s", err, errOut)
	}
	if !loadedLine.MatchString(out) {
		t.Fatalf("load summary %q", out)
	}
	if !strings.Contains(errOut, "loading grateful-dead.json [") || !strings.Contains(errOut, "100%  808 vertices, 8,049 edges") {
		t.Fatalf("load progress on stderr: %q", errOut)
	}

	checkGraph := func(name string) {
		t.Helper()
		out, _, err := runCmd(t, "check", "--config", cfg, "--graph", name)
		if err != nil {
			t.Fatalf("check %s: %v\n%s", name, err, out)
		}
		if !strings.HasPrefix(out, "graph "+name+": 808 vertices, 8,049 edges, 0 index entries") || !strings.HasSuffix(out, "\nok\n") {
			t.Fatalf("check %s: %q", name, out)
		}
	}
	checkGraph("gd")

	jsonOut := filepath.Join(work, "gd.json")
	_, errOut, err = runCmd(t, "export", "--config", cfg, "--graph", "gd", jsonOut)
	if err != nil {
		t.Fatalf("export: %v\n%s", err, errOut)
	}
	if !strings.Contains(errOut, "exported 808 vertices, 8,049 edges (graphson, ") || !strings.Contains(errOut, "808 of 808 vertices") {
		t.Fatalf("export messages on stderr: %q", errOut)
	}
	exported, err := os.ReadFile(jsonOut)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(exported, []byte("\n")); n != 808 {
		t.Fatalf("GraphSON export has %d lines, want one per vertex (808)", n)
	}
	xmlOut := filepath.Join(work, "gd.xml")
	if _, errOut, err = runCmd(t, "export", "--config", cfg, "--graph", "gd", "--no-progress", xmlOut); err != nil {
		t.Fatalf("export GraphML: %v\n%s", err, errOut)
	}
	if strings.Contains(errOut, "[") {
		t.Fatalf("--no-progress drew a bar: %q", errOut)
	}

	for graph, file := range map[string]string{"fromjson": jsonOut, "fromxml": xmlOut} {
		out, errOut, err := runCmd(t, "load", "--config", cfg, "--graph", graph, "--batch", "500", file)
		if err != nil {
			t.Fatalf("reloading %s: %v\n%s", file, err, errOut)
		}
		if m := loadedLine.FindStringSubmatch(out); m == nil || m[2] != graph {
			t.Fatalf("reload summary %q", out)
		}
		checkGraph(graph)
		// Same ids, labels, properties and edges: a re-export in the
		// same format is byte for byte the file loaded. (GraphML holds no
		// vertex property ids, so GraphSON from the GraphML copy may
		// number them differently; GraphML to GraphML must match.)
		format := strings.TrimPrefix(filepath.Ext(file), ".")
		again, errOut, err := runCmd(t, "export", "--config", cfg, "--graph", graph, "--no-progress", "--format", map[string]string{"json": "graphson", "xml": "graphml"}[format])
		if err != nil {
			t.Fatalf("export %s to stdout: %v\n%s", graph, err, errOut)
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if again != string(want) {
			t.Fatalf("graph %s (loaded from %s) exports differently from gd (%d vs %d bytes)",
				graph, filepath.Base(file), len(again), len(want))
		}
	}
}

// TestCheckReportsDamage removes one adjacency row behind storage's back:
// check must print the problem and fail.
func TestCheckReportsDamage(t *testing.T) {
	work := t.TempDir()
	cfg := durableConfig(t, work, "modern")
	if _, errOut, err := runCmd(t, "load", "--config", cfg, "--graph", "modern", "--no-progress", sampleData(t, "tinkerpop-modern.json")); err != nil {
		t.Fatalf("load: %v\n%s", err, errOut)
	}
	c, err := conf.Load(conf.Options{Path: cfg})
	if err != nil {
		t.Fatal(err)
	}
	gc, _ := c.Graph("modern")
	ctx := context.Background()
	g, closeGraph, err := openGraph(ctx, gc, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	store := g.KV()
	tables, err := store.ListTables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var edgeIn kv.Table
	for _, tb := range tables {
		if tb.Name == "edge_in" {
			edgeIn = tb
		}
	}
	if edgeIn.Name == "" {
		t.Fatalf("no edge_in table among %v", tables)
	}
	tx, err := store.Begin(ctx, kv.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	page, err := tx.Scan(edgeIn, nil, nil, kv.ScanOptions{Limit: 1, KeysOnly: true})
	if err != nil || len(page.Keys) != 1 {
		t.Fatalf("scanning edge_in: %v %v", page, err)
	}
	if err := tx.Delete(edgeIn, page.Keys[0]); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := closeGraph(); err != nil {
		t.Fatal(err)
	}

	out, _, err := runCmd(t, "check", "--config", cfg, "--graph", "modern")
	if err == nil || !strings.Contains(err.Error(), "problem") {
		t.Fatalf("check of a damaged graph: %v\n%s", err, out)
	}
	if !strings.Contains(out, "  problem: ") || strings.HasSuffix(out, "ok\n") {
		t.Fatalf("check report of a damaged graph: %q", out)
	}
}

// TestExportInMemoryGraphLoadsIt exports an in-memory graph whose
// configuration loads modern: the export holds modern.
func TestExportInMemoryGraphLoadsIt(t *testing.T) {
	cfg := writeConfig(t, fmt.Sprintf("log: {level: warn}\ngraphs: [{name: modern, in_memory: true, id_type: int32, load: %q}]\nsources: {g: modern}\n",
		sampleData(t, "tinkerpop-modern.json")))
	out, errOut, err := runCmd(t, "export", "--config", cfg, "--graph", "modern")
	if err != nil {
		t.Fatalf("export: %v\n%s", err, errOut)
	}
	if n := strings.Count(out, "\n"); n != 6 || !strings.Contains(out, `"marko"`) {
		t.Fatalf("export of in-memory modern: %d lines\n%s", n, out)
	}
	out, _, err = runCmd(t, "check", "--config", cfg, "--graph", "modern")
	if err != nil || !strings.HasPrefix(out, "graph modern: 6 vertices, 6 edges") {
		t.Fatalf("check of in-memory modern: %v %q", err, out)
	}
	if _, _, err := runCmd(t, "export", "--config", cfg, "--graph", "nope"); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Fatalf("export of an unknown graph: %v", err)
	}
	if _, _, err := runCmd(t, "load", "--config", cfg, "--graph", "modern", filepath.Join(t.TempDir(), "x.txt")); err == nil {
		t.Fatal("load of a file with an unknown extension succeeded")
	}
}

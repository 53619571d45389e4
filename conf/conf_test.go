package conf

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

func setenv(t *testing.T, m map[string]string) {
	for k, v := range m {
		t.Setenv(k, v)
	}
}

func TestDefaultFile(t *testing.T) {
	c, err := Load(Options{Path: "kvtgraph.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Server.Port != 8182 || c.Server.Host != "0.0.0.0" || c.Server.ResultIterationBatchSize != 64 ||
		c.Server.EvaluationTimeout != 30*time.Second || c.Server.MaxContentLength != 10<<20 {
		t.Fatalf("server %+v", c.Server)
	}
	g, ok := c.Graph("graph")
	if !ok || g.Data != "./data/graph" || g.Fsync != FsyncAlways || g.InMemory || g.IDType != "int64" {
		t.Fatalf("graph %+v", g)
	}
	if c.Sources["g"] != "graph" {
		t.Fatalf("sources %v", c.Sources)
	}
	sc, err := c.ServerConfig()
	if err != nil || sc.Port != 8182 || sc.BatchSize != 64 || sc.EvaluationTimeout != 30*time.Second {
		t.Fatalf("server config %+v %v", sc, err)
	}
}

func TestTinkerPopTestFile(t *testing.T) {
	t.Setenv("KVTGRAPH_TINKERPOP_DIR", "/data/tp")
	c, err := Load(Options{Path: "tinkerpop-test.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Server.Port != 45940 {
		t.Fatalf("port %d", c.Server.Port)
	}
	for _, src := range []string{"gmodern", "gclassic", "gcrew", "ggrateful", "gsink", "ggraph", "g"} {
		gname, ok := c.Sources[src]
		if !ok {
			t.Fatalf("source %s missing", src)
		}
		g, _ := c.Graph(gname)
		if !g.InMemory || g.IDType != "int32" {
			t.Fatalf("graph %+v", g)
		}
	}
	if c.Sources["g"] != c.Sources["ggraph"] {
		t.Fatal("g and ggraph must share the empty graph")
	}
	m, _ := c.Graph("modern")
	if m.Load != "/data/tp/data/tinkerpop-modern.json" {
		t.Fatalf("load path %q", m.Load)
	}
	e, _ := c.Graph("graph")
	if e.Load != "" {
		t.Fatalf("empty graph loads %q", e.Load)
	}
	// Without the override, the shipped relative directory is used.
	os.Unsetenv("KVTGRAPH_TINKERPOP_DIR")
	c, err = Load(Options{Path: "tinkerpop-test.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if g, _ := c.Graph("grateful"); g.Load != "../shared/tinkerpop/data/grateful-dead.json" {
		t.Fatalf("load path %q", g.Load)
	}
}

func TestOverridesEnvAndFlags(t *testing.T) {
	fs := pflag.NewFlagSet("x", pflag.ContinueOnError)
	fs.Int("port", 0, "")
	fs.String("log-level", "", "")
	if err := fs.Parse([]string{"--port", "9999"}); err != nil {
		t.Fatal(err)
	}
	setenv(t, map[string]string{
		"KVTGRAPH_SERVER_PORT":                     "7000", // the flag wins
		"KVTGRAPH_SERVER_RESULTITERATIONBATCHSIZE": "500",
		"KVTGRAPH_LOG_LEVEL":                       "debug",
	})
	c, err := Load(Options{Path: "kvtgraph.yaml", Flags: fs})
	if err != nil {
		t.Fatal(err)
	}
	if c.Server.Port != 9999 || c.Server.ResultIterationBatchSize != 500 || c.Log.Level != "debug" {
		t.Fatalf("port %d batch %d level %s", c.Server.Port, c.Server.ResultIterationBatchSize, c.Log.Level)
	}
}

func TestNoFileUsesDefaults(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	c, err := Load(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.File != "" || c.Server.Port != 8182 || c.Sources["g"] != "graph" || len(c.Graphs) != 1 {
		t.Fatalf("defaults %+v", c)
	}
}

func TestValidation(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.yaml")
	yaml := `
server: {resultIterationBatchSize: 0}
log: {level: loud}
auth: {enabled: true}
graphs:
  - {name: a, fsync: sometimes, id_type: string}
  - {name: a, in_memory: true}
sources: {g: nope}
`
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(Options{Path: path})
	if err == nil {
		t.Fatal("invalid configuration accepted")
	}
	for _, want := range []string{"resultIterationBatchSize", "loud", "credentials", "data directory",
		"sometimes", "id_type", "twice", `"nope"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if _, err := Load(Options{Path: filepath.Join(dir, "missing.yaml")}); err == nil {
		t.Fatal("missing file accepted")
	}
}

func TestQuerySwitchesFromEnvironment(t *testing.T) {
	env := map[string]string{"KVTGRAPH_QUERY_PLANNER_DISABLED": "true", "KVTGRAPH_QUERY_CACHE_DISABLED": "true"}
	for k, v := range env {
		t.Setenv(k, v)
	}
	c, err := Load(Options{Path: "tinkerpop-test.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if !c.Query.PlannerDisabled || !c.Query.CacheDisabled {
		t.Fatalf("query switches = %+v, want both set from the environment", c.Query)
	}
	t.Setenv("KVTGRAPH_QUERY_PLANNER_DISABLED", "")
	t.Setenv("KVTGRAPH_QUERY_CACHE_DISABLED", "")
	c, err = Load(Options{Path: "tinkerpop-test.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Query.PlannerDisabled || c.Query.CacheDisabled {
		t.Fatalf("query switches = %+v, want both off by default", c.Query)
	}
}

package conformance

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

const cucumberPkg = "github.com/apache/tinkerpop/gremlin-go/v3/driver/cucumber"

func repoRoot(t *testing.T) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("cannot find the repository root (no go.mod above the test)")
		}
		dir = parent
	}
}

// tinkerpopDir locates TinkerPop's features and data folders.
func tinkerpopDir(t *testing.T, root string) string {
	dir := os.Getenv("KVTGRAPH_TINKERPOP_DIR")
	if dir == "" {
		dir = filepath.Join(root, "..", "shared", "tinkerpop")
	}
	dir, _ = filepath.Abs(dir)
	if _, err := os.Stat(filepath.Join(dir, "features")); err != nil {
		t.Fatalf("TinkerPop test data not found at %s (want features/ and data/ there): "+
			"copy gremlin-test's features and the data/ folder from the apache/tinkerpop repository at tag 3.8.1, "+
			"or set KVTGRAPH_TINKERPOP_DIR", dir)
	}
	return dir
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func waitForPort(addr string, d time.Duration) error {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("server did not listen on %s within %s", addr, d)
}

// testEvent is one line of `go test -json`.
type testEvent struct {
	Action string
	Test   string
	Output string
}

// suiteResult is what one run of the suite against one server gave.
type suiteResult struct {
	passed, failed, undefined map[string]bool
	summary                   string
}

// runSuite starts the server built at bin with extra environment env and
// runs the whole Gherkin suite against it through gremlin-go.
func runSuite(t *testing.T, root, tp, bin string, env ...string) suiteResult {
	t.Helper()
	port := freePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := exec.CommandContext(ctx, bin, "serve", "--config", filepath.Join(root, "conf", "tinkerpop-test.yaml"))
	srv.Dir = root
	srv.Env = append(os.Environ(), "KVTGRAPH_TINKERPOP_DIR="+tp, fmt.Sprintf("KVTGRAPH_SERVER_PORT=%d", port), "KVTGRAPH_SERVER_HOST=127.0.0.1")
	srv.Env = append(srv.Env, env...)
	var srvLog bytes.Buffer
	srv.Stdout, srv.Stderr = &srvLog, &srvLog
	if err := srv.Start(); err != nil {
		t.Fatalf("starting the server: %v", err)
	}
	defer func() {
		cancel()
		_ = srv.Wait()
		if t.Failed() {
			t.Logf("server log (tail):\n%s", tail(srvLog.String(), 4000))
		}
	}()
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	if err := waitForPort(addr, 120*time.Second); err != nil {
		t.Fatalf("%v\nserver log:\n%s", err, tail(srvLog.String(), 4000))
	}

	run := exec.Command("go", "test", "-count=1", "-json", "-timeout", "30m", cucumberPkg)
	run.Dir = root
	run.Env = append(os.Environ(),
		"GREMLIN_SERVER_URL=ws://"+addr+"/gremlin",
		"CUCUMBER_FEATURE_FOLDER="+filepath.Join(tp, "features"))
	out, _ := run.Output() // a non-zero exit just means some scenarios failed

	var r suiteResult
	r.passed, r.failed, r.undefined, r.summary = parseResults(out)
	if len(r.passed)+len(r.failed) == 0 {
		t.Fatalf("the cucumber run produced no scenario results; output tail:\n%s", tail(string(out), 4000))
	}
	return r
}

func TestConformance(t *testing.T) {
	if os.Getenv("KVTGRAPH_CONFORMANCE") == "off" {
		t.Skip("KVTGRAPH_CONFORMANCE=off")
	}
	root := repoRoot(t)
	tp := tinkerpopDir(t, root)
	work := t.TempDir()

	bin := filepath.Join(work, "kvtgraph")
	build := exec.Command("go", "build", "-o", bin, "./cmd/kvtgraph")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the server: %v\n%s", err, out)
	}

	r := runSuite(t, root, tp, bin)
	t.Logf("godog summary: %s", r.summary)
	t.Logf("scenarios: %d passed, %d failed, %d undefined in gremlin-go's harness (not run)", len(r.passed), len(r.failed), len(r.undefined))

	listPath := filepath.Join(root, "tests", "conformance", "passing.txt")
	previous := readList(listPath)
	var regressions []string
	for name := range previous {
		if !r.passed[name] {
			regressions = append(regressions, name)
		}
	}
	sort.Strings(regressions)
	if err := writeList(listPath, r.passed); err != nil {
		t.Errorf("writing %s: %v", listPath, err)
	}
	if len(regressions) > 0 {
		t.Errorf("%d scenarios listed in passing.txt no longer pass:\n  %s", len(regressions), strings.Join(regressions, "\n  "))
	}
	fmt.Printf("conformance: %d passed, %d failed, %d undefined\n", len(r.passed), len(r.failed), len(r.undefined))

	// Differential run: the planner's storage rewrites and the query cache
	// must not change any answer, so every scenario must come out the same
	// with both off.
	plain := runSuite(t, root, tp, bin, "KVTGRAPH_QUERY_PLANNER_DISABLED=true", "KVTGRAPH_QUERY_CACHE_DISABLED=true")
	t.Logf("planner and cache off: %s", plain.summary)
	var differ []string
	for name := range r.passed {
		if !plain.passed[name] {
			differ = append(differ, name+" (passes only with the planner and cache)")
		}
	}
	for name := range plain.passed {
		if !r.passed[name] {
			differ = append(differ, name+" (passes only without the planner and cache)")
		}
	}
	sort.Strings(differ)
	if len(differ) > 0 {
		t.Errorf("%d scenarios differ between planner+cache on and off:\n  %s", len(differ), strings.Join(differ, "\n  "))
	}
}

var summaryRE = regexp.MustCompile(`\d+ scenarios \(.*\)`)

// undefinedStep marks, in godog's pretty output, a step with no definition
// (printed in yellow). A scenario with one never reaches the server: go test
// still reports its subtest as passed, so it is counted apart.
const undefinedStep = "\x1b[33m"

// parseResults reads `go test -json` output of the cucumber package. Each
// scenario is a subtest TestCucumberFeatures/<scenario>.
func parseResults(out []byte) (passed, failed, undefined map[string]bool, summary string) {
	passed, failed, undefined = map[string]bool{}, map[string]bool{}, map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var ev testEvent
		if json.Unmarshal(sc.Bytes(), &ev) != nil {
			continue
		}
		if m := summaryRE.FindString(ev.Output); m != "" {
			summary = m
		}
		parts := strings.SplitN(ev.Test, "/", 2)
		if len(parts) < 2 {
			continue
		}
		name := parts[1]
		if ev.Action == "output" && strings.Contains(ev.Output, undefinedStep) {
			undefined[name] = true
		}
		switch ev.Action {
		case "pass":
			passed[name] = true
		case "fail":
			failed[name] = true
		}
	}
	for name := range undefined {
		delete(passed, name)
	}
	return passed, failed, undefined, summary
}

func readList(path string) map[string]bool {
	set := map[string]bool{}
	data, err := os.ReadFile(path)
	if err != nil {
		return set
	}
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			set[line] = true
		}
	}
	return set
}

func writeList(path string, set map[string]bool) error {
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("# Written by TestConformance; never edit by hand. One passing scenario per line.\n")
	for _, n := range names {
		b.WriteString(n)
		b.WriteByte('\n')
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

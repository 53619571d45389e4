package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// gremlinJSVersion is the npm gremlin release tests/node pins.
const gremlinJSVersion = "3.8.2"

// nodeLimit bounds npm ci and the node run (liveness, not speed).
const nodeLimit = 10 * time.Minute

// ensureNodeModules installs tests/node's locked packages with npm ci
// unless the pinned gremlin is already there. node and npm must be on the
// PATH: without them the test fails, it does not skip.
func ensureNodeModules(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(repoRoot, "tests", "node")
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not on the PATH: the JavaScript end-to-end tests need node (20 or later) and npm; "+
				"install them, then `go test ./tests/e2e/` installs tests/node's packages itself (%v)", tool, err)
		}
	}
	if installedGremlinJS(dir) == gremlinJSVersion {
		return dir
	}
	ctx, cancel := context.WithTimeout(context.Background(), nodeLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm ci in %s (installing gremlin %s from package-lock.json): %v\n%s", dir, gremlinJSVersion, err, out)
	}
	if v := installedGremlinJS(dir); v != gremlinJSVersion {
		t.Fatalf("after npm ci, tests/node/node_modules holds gremlin %q, want %s", v, gremlinJSVersion)
	}
	return dir
}

func installedGremlinJS(dir string) string {
	data, err := os.ReadFile(filepath.Join(dir, "node_modules", "gremlin", "package.json"))
	if err != nil {
		return ""
	}
	var pkg struct{ Version string }
	if json.Unmarshal(data, &pkg) != nil {
		return ""
	}
	return pkg.Version
}

// TestNodeGremlinJavaScript runs tests/node/e2e.js (npm gremlin 3.8.2)
// against the server: bytecode reads and writes, scripts with bindings, a
// script session and g.tx() commit/rollback, each through GraphBinary,
// GraphSON v3 and GraphSON v2.
func TestNodeGremlinJavaScript(t *testing.T) {
	dir := ensureNodeModules(t)
	s := startServer(t, testdata("e2e.yaml"))

	ctx, cancel := context.WithTimeout(context.Background(), nodeLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", filepath.Join(dir, "e2e.js"), s.url)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	output := string(out)
	if err != nil {
		t.Fatalf("node e2e.js: %v\n%s", err, output)
	}
	// Every check must have run and passed for every serializer: the
	// script cannot pass by skipping.
	checks := []string{"bytecode-count", "bytecode-vertex", "bytecode-valuemap", "bytecode-path",
		"bytecode-write", "script-bindings", "script-session", "tx-rollback-commit"}
	for _, ser := range []string{"graphbinary", "graphsonv3", "graphsonv2"} {
		for _, c := range checks {
			if !strings.Contains(output, fmt.Sprintf("ok %s %s\n", ser, c)) {
				t.Errorf("node e2e.js did not report %s %s as passed", ser, c)
			}
		}
	}
	if want := fmt.Sprintf("PASS %d checks", 3*len(checks)); !strings.Contains(output, want) {
		t.Errorf("node e2e.js output lacks %q", want)
	}
	if t.Failed() {
		t.Logf("node output:\n%s", output)
	}
}

// TestNodeGremlinJavaScriptAuth runs tests/node/e2e.js in its auth mode
// against an auth-enabled server: the npm driver's
// PlainTextSaslAuthenticator with the right password works (scripts and
// bytecode), a wrong one fails with 401/unauthorized, and no
// authenticator fails too; for GraphBinary, GraphSON v3 and v2.
func TestNodeGremlinJavaScriptAuth(t *testing.T) {
	dir := ensureNodeModules(t)
	hash, err := bcrypt.GenerateFromPassword([]byte("n0de pass"), 10)
	if err != nil {
		t.Fatal(err)
	}
	creds := filepath.Join(t.TempDir(), "credentials")
	if err := os.WriteFile(creds, []byte("jsuser:"+string(hash)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := startServer(t, testdata("e2e.yaml"), "KVTGRAPH_AUTH_ENABLED=true", "KVTGRAPH_AUTH_CREDENTIALS="+creds)

	ctx, cancel := context.WithTimeout(context.Background(), nodeLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", filepath.Join(dir, "e2e.js"), s.url, "auth", "jsuser", "n0de pass")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	output := string(out)
	if err != nil {
		t.Fatalf("node e2e.js auth: %v\n%s", err, output)
	}
	checks := []string{"auth-script", "auth-bytecode", "auth-bad-password", "auth-none"}
	for _, ser := range []string{"graphbinary", "graphsonv3", "graphsonv2"} {
		for _, c := range checks {
			if !strings.Contains(output, fmt.Sprintf("ok %s %s\n", ser, c)) {
				t.Errorf("node e2e.js auth did not report %s %s as passed", ser, c)
			}
		}
	}
	if want := fmt.Sprintf("PASS %d checks", 3*len(checks)); !strings.Contains(output, want) {
		t.Errorf("node e2e.js auth output lacks %q", want)
	}
	if t.Failed() {
		t.Logf("node output:\n%s", output)
	}
}

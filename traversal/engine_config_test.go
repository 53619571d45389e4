package traversal

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An Engine compiles with what its Config gives it and nothing else:
// the planner's access steps only when asked for, io() only with a root.
func TestEngineConfig(t *testing.T) {
	tx := modern(t)
	plain := NewEngine(Config{})
	if _, err := plain.Compile(b(OpGetV, int32(1)).bc); err == nil || !strings.Contains(err.Error(), "unknown or unsupported step") {
		t.Errorf("access step without AccessSteps: %v", err)
	}
	expect(t, tx, b(OpGetV, int32(1)).s("values", "name"), false, "marko")
	got, err := runWith(t, plain, tx, b("V", int32(1)).s("values", "name"))
	if err != nil || len(got) != 1 || got[0] != "marko" {
		t.Errorf("plain engine: %v %v", got, err)
	}
	// Each engine has its own io() directory.
	dir := t.TempDir()
	data := `{"id":201,"label":"person","properties":{"name":[{"id":202,"value":"z"}]}}
`
	if err := os.WriteFile(filepath.Join(dir, "one.json"), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	withIO := NewEngine(Config{IORoot: dir})
	_, err = runWith(t, plain, tx, b("io", "one.json").s("read"))
	wantErr(t, err, "io() is not enabled")
	if _, err := runWith(t, withIO, tx, b("io", "one.json").s("read")); err != nil {
		t.Fatal(err)
	}
	expect(t, tx, b("V", int32(201)).s("values", "name"), false, "z")
	// A traversal keeps its engine's settings after compilation.
	tr, err := withIO.Compile(b("io", "one.json").s("read").bc)
	if err != nil || !tr.Mutating() {
		t.Fatalf("compile io: %v", err)
	}
	// call() lists the engine's services.
	expect(t, tx, b("call"), false, "tinker.search", "tinker.degree.centrality")
}

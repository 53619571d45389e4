package lang

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// featureDir locates the TinkerPop 3.8.1 feature files: the
// KVTGRAPH_TINKERPOP_DIR environment variable, else
// <repo root>/../shared/tinkerpop, with the files under features/.
func featureDir(t testing.TB) string {
	dir := os.Getenv("KVTGRAPH_TINKERPOP_DIR")
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			t.Fatal(err)
		}
		root := wd
		for {
			if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
				break
			}
			parent := filepath.Dir(root)
			if parent == root {
				t.Fatal("cannot find the repository root (go.mod) above " + wd)
			}
			root = parent
		}
		dir = filepath.Join(root, "..", "shared", "tinkerpop")
	}
	fd := filepath.Join(dir, "features")
	if st, err := os.Stat(fd); err != nil || !st.IsDir() {
		t.Fatalf("TinkerPop feature files not found at %s: get them from apache/tinkerpop at tag 3.8.1 "+
			"(gremlin-test/src/main/resources/org/apache/tinkerpop/gremlin/test/features) into <dir>/features "+
			"and point KVTGRAPH_TINKERPOP_DIR at <dir>", fd)
	}
	return fd
}

type featureCase struct {
	file     string
	line     int
	scenario string
	kind     string // "traversal" or "initializer"
	text     string
	params   map[string]bool
}

// loadFeatureCases extracts every traversal and graph initializer
// docstring from the feature files.
func loadFeatureCases(t testing.TB) []featureCase {
	dir := featureDir(t)
	var files []string
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if strings.HasSuffix(path, ".feature") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	var cases []featureCase
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
		rel, _ := filepath.Rel(dir, f)
		scenario := ""
		var params map[string]bool
		var pending []int // indexes into cases of the current scenario
		for i := 0; i < len(lines); i++ {
			l := strings.TrimSpace(lines[i])
			switch {
			case strings.HasPrefix(l, "Scenario:") || strings.HasPrefix(l, "Scenario Outline:"):
				scenario = strings.TrimSpace(l[strings.Index(l, ":")+1:])
				params = map[string]bool{}
				pending = nil
			case strings.HasPrefix(l, "And using the parameter "):
				name := strings.Fields(strings.TrimPrefix(l, "And using the parameter "))[0]
				params[name] = true
			case l == "And the traversal of" || l == "Given the graph initializer of" || l == "And the graph initializer of":
				kind := "traversal"
				if strings.Contains(l, "initializer") {
					kind = "initializer"
				}
				j := i + 1
				for j < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[j]), "#") {
					j++
				}
				if j >= len(lines) || strings.TrimSpace(lines[j]) != `"""` {
					t.Fatalf("%s:%d: docstring expected after %q", rel, i+1, l)
				}
				k := j + 1
				var buf []string
				for k < len(lines) && strings.TrimSpace(lines[k]) != `"""` {
					buf = append(buf, lines[k])
					k++
				}
				cases = append(cases, featureCase{file: rel, line: j + 2, scenario: scenario, kind: kind,
					text: strings.Join(buf, "\n"), params: params})
				pending = append(pending, len(cases)-1)
				i = k
			}
		}
		_ = pending
	}
	return cases
}

// TestFeatureFiles parses every traversal and graph initializer of the
// TinkerPop 3.8.1 feature files and checks that every variable the parser
// reports is a declared scenario parameter (a bare word that is not a
// parameter would mean an enum or keyword was misread).
func TestFeatureFiles(t *testing.T) {
	cases := loadFeatureCases(t)
	if len(cases) < 2000 {
		t.Fatalf("only %d traversals found in the feature files; expected the full 3.8.1 set", len(cases))
	}
	var ok, lambdas, failed, traversals, inits int
	for _, c := range cases {
		if c.kind == "traversal" {
			traversals++
		} else {
			inits++
		}
		sc, err := Parse(c.text)
		if err != nil {
			if errors.Is(err, ErrLambda) {
				lambdas++
				continue
			}
			failed++
			t.Errorf("%s:%d (%s): %v\n%s", c.file, c.line, c.scenario, err, c.text)
			continue
		}
		if len(sc.Statements) != 1 {
			failed++
			t.Errorf("%s:%d (%s): %d statements, want 1", c.file, c.line, c.scenario, len(sc.Statements))
			continue
		}
		tr, isT := sc.Statements[0].Expr.(*Traversal)
		if !isT {
			failed++
			t.Errorf("%s:%d (%s): parsed as %T, want a traversal", c.file, c.line, c.scenario, sc.Statements[0].Expr)
			continue
		}
		for _, name := range bindingsOf(tr.Bytecode) {
			if !c.params[name] {
				failed++
				t.Errorf("%s:%d (%s): %q parsed as a variable but is not a scenario parameter\n%s", c.file, c.line, c.scenario, name, c.text)
			}
		}
		ok++
	}
	t.Logf("feature files: %d docstrings (%d traversals, %d graph initializers): %d parsed, %d refused as lambdas, %d failed",
		len(cases), traversals, inits, ok, lambdas, failed)
}

// bindingsOf lists the variable names used anywhere in a bytecode.
func bindingsOf(b *value.Bytecode) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case value.Binding:
			out = append(out, x.Key)
		case *value.Bytecode:
			for _, ins := range x.Sources {
				for _, a := range ins.Args {
					walk(a)
				}
			}
			for _, ins := range x.Steps {
				for _, a := range ins.Args {
					walk(a)
				}
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		case *value.Set:
			for _, e := range x.Items() {
				walk(e)
			}
		case *value.Map:
			for _, e := range x.Entries() {
				walk(e.Key)
				walk(e.Value)
			}
		case *value.P:
			for _, e := range x.Values {
				walk(e)
			}
		case value.Strategy:
			walk(x.Config)
		case *value.Vertex:
			walk(x.ID)
		}
	}
	walk(b)
	return out
}

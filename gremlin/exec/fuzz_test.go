package exec

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	gio "github.com/kvtgraph/kvtgraph/gremlin/io"
	"github.com/kvtgraph/kvtgraph/gremlin/server"
	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/graphtest"
)

// The fuzz target and the regression table run a script against a fresh
// in-memory modern graph with a short timeout and a result cap, and fail
// on a panic (including one the traversal engine recovered into an
// "internal traversal error"), on an empty or Go-internal error message,
// and on a run that overshoots its timeout by far.

const (
	fuzzTimeout  = time.Second
	fuzzHangKill = 15 * time.Second // a run this long is a hang
	fuzzMaxItems = 10000
)

// internalMarkers are texts that only a Go runtime failure, a recovered
// panic or a formatting bug puts into an error message.
var internalMarkers = []string{
	"runtime error", "interface conversion", "index out of range", "nil pointer",
	"invalid memory address", "slice bounds out of range", "internal traversal error",
	"cannot compile bytecode", "goroutine ", "%!", "interface {}", "interface{}",
	"*value.", "value.Bytecode", "[]any", "reflect.",
}

// fuzzModern opens a memkv graph holding TinkerPop's modern graph.
func fuzzModern(tb testing.TB) *storage.Graph { return graphtest.Modern(tb) }

// checkScript runs script on a fresh modern graph and reports a panic, a
// hang, or a bad error message.
func checkScript(t *testing.T, script string) {
	t.Helper()
	g := fuzzModern(t)
	defer g.Close()
	e, err := New(map[string]storage.Store{"graph": g}, map[string]string{"g": "graph"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	// A hang cannot be interrupted from here: crash the process with the
	// input and every goroutine's stack, which the fuzzer records.
	watchdog := time.AfterFunc(fuzzHangKill, func() {
		buf := make([]byte, 1<<20)
		n := runtime.Stack(buf, true)
		panic(fmt.Sprintf("hang: %q still running after %v\n%s", script, fuzzHangKill, buf[:n]))
	})
	defer watchdog.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), fuzzTimeout)
	defer cancel()
	err = runCapped(ctx, e, script)
	if d := time.Since(start); d > 5*fuzzTimeout {
		t.Fatalf("%q: ran %v, far past its %v timeout", script, d, fuzzTimeout)
	}
	if err == nil {
		return
	}
	if ee, ok := err.(*encodeError); ok {
		t.Fatalf("%q: %v", script, ee.error)
	}
	msg := err.Error()
	if strings.TrimSpace(msg) == "" {
		t.Fatalf("%q: empty error message (%T)", script, err)
	}
	for _, m := range internalMarkers {
		// A marker the script itself contains may be quoted back.
		if strings.Contains(msg, m) && !strings.Contains(script, m) {
			t.Fatalf("%q: internal error message (contains %q): %s", script, m, msg)
		}
	}
}

func runCapped(ctx context.Context, e *Executor, script string) error {
	r, err := e.Eval(ctx, &server.EvalRequest{Script: script})
	if err != nil {
		return err
	}
	defer r.Close()
	var items []any
	for i := 0; i < fuzzMaxItems; i++ {
		v, ok := r.Next()
		if !ok {
			break
		}
		items = append(items, v)
	}
	if err := r.Err(); err != nil {
		return err
	}
	// The server writes every result: encoding one must not fail.
	for _, s := range fuzzSerializers {
		if _, err := s.EncodeResponse(&gio.Response{Status: gio.Status{Code: 200}, Result: gio.Result{Data: items}}); err != nil {
			return &encodeError{fmt.Errorf("%s cannot encode the results: %w", s.MimeType(), err)}
		}
	}
	return nil
}

// encodeError is a result the serializers refuse.
type encodeError struct{ error }

var fuzzSerializers = []gio.Serializer{gio.GraphBinary{}, gio.GraphBinaryStringd{}, gio.GraphSON{Version: 3}, gio.GraphSON{Version: 2}}

// fuzzSeeds are hand-written edge cases: wrong argument types, extreme
// numbers, odd nesting, bad mutations, bad math, dates and strings.
var fuzzSeeds = []string{
	`g.V().range("a", 2)`,
	`g.V().range(null, null)`,
	`g.V().range(-5, -2)`,
	`g.V().range(3, 1)`,
	`g.V().range(local, 9223372036854775807, -1)`,
	`g.V().limit(-1)`,
	`g.V().limit("x")`,
	`g.V().limit(99999999999999999999999)`,
	`g.V().skip(-3)`,
	`g.V().tail(-1)`,
	`g.V().tail(local, -2)`,
	`g.V().fold().tail(local, 9223372036854775807)`,
	`g.V().repeat(out()).times(-1)`,
	`g.V().repeat(out()).times("x")`,
	`g.V().repeat(out()).times(2147483648)`,
	`g.V().sample(-1)`,
	`g.V().sample(local, -1)`,
	`g.V().coin(2.5)`,
	`g.V().coin("x")`,
	`g.V().out(1)`,
	`g.V().out(null)`,
	`g.V().has(null)`,
	`g.V().has("name", null)`,
	`g.V().has(T.id, [])`,
	`g.V().hasLabel([])`,
	`g.V().hasId(null)`,
	`g.V([])`,
	`g.V(null)`,
	`g.V([1, [2]])`,
	`g.E(g.V().next())`,
	`g.V().values(1)`,
	`g.V().properties(null)`,
	`g.V().select(1)`,
	`g.V().select(null)`,
	`g.V().as("a").select("a", "b", null)`,
	`g.V().order().by(null)`,
	`g.V().order().by(1)`,
	`g.V().order().by("name", 5)`,
	`g.V().group().by(out()).by(count()).by(sum())`,
	`g.V().project("a", "a").by("name")`,
	`g.V().project()`,
	`g.V().where(null)`,
	`g.V().where(P.eq(null))`,
	`g.V().is(P.within(null))`,
	`g.V().has("age", P.between("a", 1))`,
	`g.V().has("age", P.inside(null, null))`,
	`g.V().has("name", TextP.startingWith(null))`,
	`g.V().has("name", TextP.regex("("))`,
	`g.V().has("name", TextP.regex(null))`,
	`g.V().local(local(local(local(local(local(local(local(out()))))))))`,
	`g.V().union(union(union(union(union(union())))))`,
	`g.V().choose(null)`,
	`g.V().choose(values("age")).option(null, out())`,
	`g.V().optional(null)`,
	`g.V().coalesce()`,
	`g.V().addE(null).to(null)`,
	`g.addE("x").from(1).to(2)`,
	`g.addE("x").from(__.V(999)).to(__.V(1))`,
	`g.addV(null)`,
	`g.addV("")`,
	`g.addV(1)`,
	`g.addV().property(null, 1)`,
	`g.addV().property("", 1)`,
	`g.addV().property(T.label, "x")`,
	`g.addV().property(T.id, null)`,
	`g.addV().property(T.id, [1])`,
	`g.addV().property(T.id, 1)`,
	`g.addV().property(list, "a", null)`,
	`g.addV().property("a")`,
	`g.addV().property("a", 1, "b")`,
	`g.V().property(set, "name", [1, 2], "meta")`,
	`g.V().properties().property("x", 1)`,
	`g.E().properties().property("x", 1)`,
	`g.V().drop().V().drop()`,
	`g.V().mergeV(null)`,
	`g.mergeV([(T.id): null])`,
	`g.mergeV([(T.label): 1])`,
	`g.mergeV([a: 1]).option(Merge.onCreate, null)`,
	`g.mergeV([a: 1]).option(Merge.onMatch, [(T.id): 9])`,
	`g.mergeE([(Direction.OUT): 1])`,
	`g.mergeE([(Direction.OUT): 1, (Direction.IN): 999])`,
	`g.mergeE([(Direction.OUT): Merge.outV]).option(Merge.outV, 1)`,
	`g.mergeE([(T.label): null])`,
	`g.inject(1).math("")`,
	`g.inject(1).math("_ +")`,
	`g.inject(1).math("foo(_)")`,
	`g.inject(1).math("((((_")`,
	`g.inject(1).math("_ / 0")`,
	`g.inject("a").math("_ + 1")`,
	`g.inject(null).math("_")`,
	`g.V().as("a").math("a + b")`,
	`g.inject(1).math("sin(_, _)")`,
	`g.inject(1).math("1e999999")`,
	`g.inject("x").asDate()`,
	`g.inject(null).asDate()`,
	`g.inject(9223372036854775807).asDate()`,
	`g.inject(1).dateAdd(DT.day, 9223372036854775807)`,
	`g.inject(datetime("2023-01-01T00:00:00Z")).dateAdd(DT.day, 9223372036854775807)`,
	`g.inject(datetime("2023-01-01T00:00:00Z")).dateAdd(null, 1)`,
	`g.inject(datetime("2023-01-01T00:00:00Z")).dateDiff("x")`,
	`g.inject(datetime("2023-01-01T00:00:00Z")).dateDiff(null)`,
	`g.inject(datetime("2023-01-01T00:00:00Z")).dateDiff(constant(1))`,
	`g.inject(datetime("bad"))`,
	`g.inject(1).asString()`,
	`g.inject(1).toUpper()`,
	`g.inject(1).substring(1)`,
	`g.inject("abc").substring(9223372036854775807, -9223372036854775808)`,
	`g.inject("abc").substring(-9223372036854775808)`,
	`g.inject("abc").split(null)`,
	`g.inject("abc").replace(null, null)`,
	`g.inject("abc").concat(null)`,
	`g.inject("abc").concat(g.V())`,
	`g.inject("abc").format("%{")`,
	`g.inject("abc").format(null)`,
	`g.V().format("%{name} %{")`,
	`g.inject(1).lTrim()`,
	`g.inject([1]).trim(local)`,
	`g.inject([null]).toLower(local)`,
	`g.inject(1).length()`,
	`g.inject(1).asNumber(N.byte)`,
	`g.inject("99999999999999999999").asNumber(N.int)`,
	`g.inject(1e300).asNumber(N.float)`,
	`g.inject("x").asNumber()`,
	`g.inject(1).asBool()`,
	`g.inject("maybe").asBool()`,
	`g.inject([1, 2]).combine(null)`,
	`g.inject(1).combine([1])`,
	`g.inject([1, 2]).difference(1)`,
	`g.inject([1, 2]).product([])`,
	`g.inject([1, 2]).merge([a: 1])`,
	`g.inject([a: 1]).merge([1])`,
	`g.inject([1, 2]).conjoin(null)`,
	`g.inject([1, 2]).disjunct(__.V())`,
	`g.inject([1, 2]).intersect(constant(1))`,
	`g.inject(1).sum(local)`,
	`g.inject(["a", 1]).sum(local)`,
	`g.inject("a", 1).max()`,
	`g.inject("a", 1).mean()`,
	`g.inject(9223372036854775807, 1).sum()`,
	`g.inject(-2147483648i).math("abs(_)")`,
	`g.inject(1).reverse()`,
	`g.inject(1).unfold()`,
	`g.inject([a: [b: [c: [d: 1]]]]).unfold().unfold().unfold()`,
	`g.V().index()`,
	`g.V().fold().index().by(null)`,
	`g.V().valueMap().by(null)`,
	`g.V().elementMap(null)`,
	`g.V().path().by(null)`,
	`g.V().tree().by(1)`,
	`g.V().sack()`,
	`g.withSack(1).V().sack(sum).by(null)`,
	`g.withSack(null).V().sack(sum).by("age")`,
	`g.withSideEffect("a", null).V().aggregate("a")`,
	`g.withSideEffect(null, 1).V()`,
	`g.V().aggregate(null)`,
	`g.V().store("x").cap("y")`,
	`g.V().cap(null)`,
	`g.V().sideEffect(null)`,
	`g.V().emit().repeat(both()).until(loops().is(-1))`,
	`g.V().repeat(both()).emit().times(3).path().count()`,
	`g.V().loops()`,
	`g.V().match(null)`,
	`g.V().match()`,
	`g.V().match(__.as("a"), __.as("b"))`,
	`g.V().match(__.as("a").out().as("b"), __.as("b").out().as("a"))`,
	`g.V().dedup(null)`,
	`g.V().dedup().by(1)`,
	`g.V().timeLimit(-1)`,
	`g.V().subgraph(null)`,
	`g.V().subgraph("x").cap("x")`,
	`g.V().profile().profile()`,
	`g.V().explain()`,
	`g.io(null).read()`,
	`g.call(null)`,
	`g.call("--list")`,
	`g.with(null).V()`,
	`g.withStrategies(null).V()`,
	`g.withoutStrategies(null).V()`,
	`g.withStrategies(new SubgraphStrategy(vertices: null)).V()`,
	`g.withStrategies(new PartitionStrategy()).V()`,
	`g.withStrategies(new SeedStrategy(seed: "x")).V().coin(0.5)`,
	`g.withComputer().V()`,
	`g.V().pageRank()`,
	`g.V().peerPressure()`,
	`g.V().shortestPath()`,
	`g.V().connectedComponent()`,
	`g.V().program(null)`,
	`g.V().barrier(-1)`,
	`g.V().barrier("x")`,
	`g.V().constant(null).is(null)`,
	`g.V().id().is(1).next(5)`,
	`g.V().next(-1)`,
	`g.V().none()`,
	`g.V().none(1)`,
	`g.V().discard().count()`,
	`g.V().element()`,
	`g.V().properties().element().element()`,
	`g.V().outE().otherV().otherV()`,
	`g.inject(1).otherV()`,
	`g.inject(1).out()`,
	`g.inject(1).values("x")`,
	`g.inject(1).label()`,
	`g.inject(1).id()`,
	`g.inject(1).path()`,
	`g.inject(null).inV()`,
	`g.inject([1, 2, 3]).range(local, 1, -5)`,
	`g.inject([a: 1, b: 2]).select(keys).unfold().select(values)`,
	`g.inject(1, 2).fold().unfold().fold().count(local).is(gt(P.eq(1)))`,
	`x = 1; x.out()`,
	`g.V(x)`,
	`g.inject(1).flatMap(null)`,
	`g.inject(1).map(1)`,
	`g.inject(1).filter(constant(1))`,
	`g.inject(1).branch(null)`,
	`g.inject(1, 2).order().by(shuffle, desc)`,
	`g.inject(1).as("a").as("b").select("a", "b").by(null)`,
	`g.V().group("x").by(label).cap("x").select(keys).unfold().math("_")`,
	`g.V().has("age").values("age").math("_ ^ 1000000")`,
	`g.V().values("age").math("_ % 0")`,
	`g.inject(1i).math("_ + 2147483647")`,
	`g.V().limit(0).max().math("_")`,
	`g.V().repeat(both()).times(20).count()`,
	`g.V().repeat(both().dedup()).until(__.not(__.identity())).count()`,
	`g.V().both().both().both().both().both().both().both().both().both().both().count()`,
	`g.V().V().V().V().V().V().V().count()`,
	`g.inject(1).repeat(constant(1)).times(100000).count()`,
	`g.inject(1).emit().repeat(union(identity(), identity())).times(40).count()`,
	`g.inject(1e400m).asNumber(N.long)`,
	`g.inject("1e400").asNumber()`,
	`g.inject(1e-400m, 2.5m).sum()`,
	`g.inject(123456789012345678901234567890n).asNumber(N.double)`,
	`g.inject(datetime("+999999999-12-31T23:59:59Z")).dateAdd(DT.day, 1)`,
	`g.inject(datetime("2020-01-01T00:00:00Z")).dateAdd(DT.second, 9223372036854775807)`,
	`g.union(__.identity(), __.as("a")).fold()`,
	`g.V().values("name").cap("x").aggregate("x")`,
	`g.V().aggregate("x").cap("x").tree()`,
	`g.V().fold().tail(local, -2)`,
	`g.V().repeat(fold()).times(1)`,
	`g.V().has("age", P.gt(1).and(P.lt(100)).or(P.eq(3)).negate())`,
	`x = g.V().next(); y = x; g.V(y).out().toList()`,
	`g.V().next(2); g.E().toSet()`,
	`g.tx().commit(); g.V().iterate()`,
}

var (
	featureSeedsOnce sync.Once
	featureSeeds     []string
)

// fuzzFeatureDir locates the TinkerPop 3.8.1 feature files like the
// other tests do: KVTGRAPH_TINKERPOP_DIR, else <repo root>/../shared/tinkerpop.
// It returns "" when they are absent.
func fuzzFeatureDir() string {
	dir := os.Getenv("KVTGRAPH_TINKERPOP_DIR")
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return ""
		}
		root := wd
		for {
			if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
				break
			}
			parent := filepath.Dir(root)
			if parent == root {
				return ""
			}
			root = parent
		}
		dir = filepath.Join(root, "..", "shared", "tinkerpop")
	}
	fd := filepath.Join(dir, "features")
	if st, err := os.Stat(fd); err != nil || !st.IsDir() {
		return ""
	}
	return fd
}

// loadFeatureScripts returns every traversal of the feature files, with
// its scenario parameters turned into script variables assigned before
// it.
func loadFeatureScripts() []string {
	featureSeedsOnce.Do(func() {
		dir := fuzzFeatureDir()
		if dir == "" {
			return
		}
		var files []string
		_ = filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
			if err == nil && strings.HasSuffix(path, ".feature") {
				files = append(files, path)
			}
			return nil
		})
		sort.Strings(files)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
			var params []string
			for i := 0; i < len(lines); i++ {
				l := strings.TrimSpace(lines[i])
				switch {
				case strings.HasPrefix(l, "Scenario:") || strings.HasPrefix(l, "Scenario Outline:"):
					params = nil
				case strings.HasPrefix(l, "And using the parameter "):
					rest := strings.TrimPrefix(l, "And using the parameter ")
					name, def, ok := strings.Cut(rest, " defined as ")
					if !ok {
						continue
					}
					def = strings.TrimSpace(def)
					if len(def) >= 2 && def[0] == '"' && def[len(def)-1] == '"' {
						def = strings.ReplaceAll(def[1:len(def)-1], `\"`, `"`)
					}
					if lit, ok := featureLiteral(def); ok {
						params = append(params, strings.TrimSpace(name)+" = "+lit)
					}
				case l == "And the traversal of":
					j := i + 1
					for j < len(lines) && strings.TrimSpace(lines[j]) != `"""` {
						j++
					}
					k := j + 1
					var buf []string
					for k < len(lines) && strings.TrimSpace(lines[k]) != `"""` {
						buf = append(buf, lines[k])
						k++
					}
					text := strings.Join(buf, "\n")
					if len(params) > 0 {
						text = strings.Join(params, "; ") + "; " + text
					}
					featureSeeds = append(featureSeeds, text)
					i = k
				}
			}
		}
	})
	return featureSeeds
}

var typedValue = regexp.MustCompile(`^([a-zA-Z])\[(.*)\](\.[a-z]+)?$`)

// featureLiteral turns a feature file's typed value notation (d[1].i,
// v[marko], m[{...}], l[...]) into script text producing it.
func featureLiteral(s string) (string, bool) {
	if s == "null" {
		return "null", true
	}
	m := typedValue.FindStringSubmatch(s)
	if m == nil {
		return fmt.Sprintf("%q", s), true
	}
	kind, body, suffix := m[1], m[2], m[3]
	switch kind {
	case "d", "D":
		switch suffix {
		case ".i", ".l", ".f", ".d", ".m", ".b", ".s", ".n":
			return body + suffix[1:], true
		case "":
			return body, true
		}
		return "", false
	case "s":
		return featureLiteral("l[" + body + "]")
	case "t":
		return "T." + body, true
	case "v":
		v := fmt.Sprintf("g.V().has(\"name\", %q)", body)
		switch suffix {
		case ".id":
			return v + ".id().next()", true
		case ".sid":
			return v + ".id().asString().next()", true
		}
		return v + ".next()", true
	case "e":
		from, rest, ok := strings.Cut(body, "-")
		label, to, ok2 := strings.Cut(rest, "->")
		if !ok || !ok2 {
			return "", false
		}
		e := fmt.Sprintf("g.V().has(\"name\", %q).outE(%q).where(inV().has(\"name\", %q))", from, label, to)
		switch suffix {
		case ".id":
			return e + ".id().next()", true
		case ".sid":
			return e + ".id().asString().next()", true
		}
		return e + ".next()", true
	case "l":
		if strings.TrimSpace(body) == "" {
			return "[]", true
		}
		var parts []string
		for _, p := range splitTop(body) {
			lit, ok := featureLiteral(strings.TrimSpace(p))
			if !ok {
				return "", false
			}
			parts = append(parts, lit)
		}
		return "[" + strings.Join(parts, ", ") + "]", true
	case "m":
		dec := json.NewDecoder(strings.NewReader(body))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			return "", false
		}
		return jsonLiteral(v)
	}
	return "", false
}

func jsonLiteral(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "null", true
	case bool:
		return fmt.Sprint(x), true
	case json.Number:
		return x.String(), true
	case string:
		return featureLiteral(x)
	case []any:
		var parts []string
		for _, e := range x {
			s, ok := jsonLiteral(e)
			if !ok {
				return "", false
			}
			parts = append(parts, s)
		}
		return "[" + strings.Join(parts, ", ") + "]", true
	case map[string]any:
		if len(x) == 0 {
			return "[:]", true
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			ks, ok := featureLiteral(k)
			if !ok {
				return "", false
			}
			vs, ok := jsonLiteral(x[k])
			if !ok {
				return "", false
			}
			parts = append(parts, "("+ks+"): "+vs)
		}
		return "[" + strings.Join(parts, ", ") + "]", true
	}
	return "", false
}

// splitTop splits s at commas outside brackets.
func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '[', '{':
			depth++
		case ']', '}':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

func FuzzExecute(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	for _, s := range loadFeatureScripts() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, script string) {
		checkScript(t, script)
	})
}

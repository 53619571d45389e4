package traversal

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

func mapOf(kv ...any) *value.Map {
	m := value.NewMap()
	for i := 0; i+1 < len(kv); i += 2 {
		m.Put(kv[i], kv[i+1])
	}
	return m
}

func enum(typ, name string) value.Enum { return value.Enum{Type: typ, Name: name} }

func wantErr(t *testing.T, err error, text string) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), text) {
		t.Fatalf("want an error containing %q, got %v", text, err)
	}
}

func TestMergeVOptions(t *testing.T) {
	tx := modern(t)
	// onMatch with a cardinality-wrapped value appends to a list property.
	card := func(c string, v any) *value.Bytecode {
		return &value.Bytecode{Sources: []value.Instruction{{Operator: "CardinalityValueTraversal", Args: []any{enum("Cardinality", c), v}}}}
	}
	expect(t, tx, b("mergeV", mapOf("name", "marko")).s("option", enum("Merge", "onMatch"), mapOf("age", card("list", int32(30)))).s("properties", "age").s("value"), false, "29:int32", "30:int32")
	// option(Merge, Map, Cardinality) applies the cardinality to every String key.
	expect(t, tx, b("mergeV", mapOf("name", "marko")).s("option", enum("Merge", "onMatch"), mapOf("age", int32(31)), enum("Cardinality", "single")).s("properties", "age").s("value"), false, "31:int32")
	// onCreate inherits the merge Map; T.label in onCreate is kept.
	expect(t, tx, b("mergeV", mapOf("name", "alice")).s("option", enum("Merge", "onCreate"), mapOf("age", int32(81), T("label"), "person"), enum("Cardinality", "set")).s("valueMap").s("by", anon().s("unfold").bc), false, "{name:alice,age:81:int32}")
	expect(t, tx, b("V").s("has", "person", "name", "alice").s("count"), false, "1:int64")
	// The onMatch traversal sees the matched vertex.
	expect(t, tx, b("mergeV", mapOf("name", "vadas")).s("option", enum("Merge", "onMatch"), anon().s("project", "seen").s("by", "age").bc).s("values", "seen"), false, "27:int32")

	_, err := runQ(t, tx, b("mergeV", mapOf(T("label"), "a")).s("option", enum("Merge", "onCreate"), mapOf(T("label"), "b")))
	wantErr(t, err, "option(onCreate) cannot override values from merge() argument")
	_, err = runQ(t, tx, b("mergeV", value.NewMap()).s("option", enum("Merge", "onCreate"), mapOf("~id", int32(1))))
	wantErr(t, err, "Property key can not be a hidden key: ~id")
	_, err = runQ(t, tx, b("mergeV", value.NewMap()).s("option", enum("Merge", "onCreate"), mapOf(T("label"), "~vertex")))
	wantErr(t, err, "Label can not be a hidden key: ~vertex")
	// A constant onMatch Map is checked even when nothing matches.
	_, err = runQ(t, tx, b("mergeV", mapOf("name", "nobody")).s("option", enum("Merge", "onMatch"), mapOf("~label", "x")))
	wantErr(t, err, "Property key can not be a hidden key: ~label")
	// mergeV() needs a Map as its incoming traverser.
	_, err = runQ(t, tx, b("V").s("mergeV"))
	wantErr(t, err, "expected a Map as the incoming traverser")
}

func TestMergeEOptions(t *testing.T) {
	tx := modern(t)
	out, in := enum("Direction", "OUT"), enum("Direction", "IN")
	outV, inV := enum("Merge", "outV"), enum("Merge", "inV")
	// Merge.outV/inV resolve through option(outV/inV); a match is updated.
	expect(t, tx, b("V", int32(1)).s("as", "x").s("V", int32(2)).s("as", "y").
		s("mergeE", mapOf(out, outV, in, inV, T("label"), "knows")).
		s("option", enum("Merge", "outV"), anon().s("select", "x").bc).
		s("option", enum("Merge", "inV"), anon().s("select", "y").bc).
		s("option", enum("Merge", "onMatch"), mapOf("weight", 0.7)).
		s("values", "weight"), false, "0.7:float64")
	// A missing edge is created between the resolved vertices.
	expect(t, tx, b("V", int32(2)).s("as", "v").s("mergeE", mapOf(T("label"), "self", out, outV, in, inV)).
		s("option", enum("Merge", "outV"), anon().s("select", "v").bc).
		s("option", enum("Merge", "inV"), anon().s("select", "v").bc).s("inV").s("values", "name"), false, "vadas")
	// onMatch traversals run on the matched edge; null removes a property.
	expect(t, tx, b("mergeE", mapOf(T("label"), "knows", out, int32(1), in, int32(4))).
		s("option", enum("Merge", "onMatch"), mapOf("weight", nil)).s("properties").s("count"), false, "0:int64")

	_, err := runQ(t, tx, b("mergeE", mapOf(T("label"), "unknown")))
	wantErr(t, err, "Out Vertex not specified in onCreate")
	_, err = runQ(t, tx, b("mergeE", mapOf(out, int32(100), in, int32(101))))
	wantErr(t, err, "Vertex id could not be resolved from mergeE: 100")
	// A constant onCreate may not override the merge Map even if the edge exists.
	_, err = runQ(t, tx, b("mergeE", mapOf(out, int32(1))).s("option", enum("Merge", "onCreate"), mapOf(out, int32(2), in, int32(3))))
	wantErr(t, err, "option(onCreate) cannot override values from merge() argument")
	_, err = runQ(t, tx, b("mergeE", mapOf(out, outV)))
	wantErr(t, err, "option(outV) must be specified if it is used for OUT")
}

func TestAddFoldsProperties(t *testing.T) {
	tx := modern(t)
	// T.id and T.label given by property() right after addV().
	expect(t, tx, b("addV").s("property", T("id"), "x1").s("property", T("label"), "animal").s("id"), false, "x1")
	expect(t, tx, b("V", "x1").s("label"), false, "animal")
	// A key given several times becomes several values; keys and values
	// may be traversals.
	expect(t, tx, b("V", int32(1)).s("addV", "animal").s("property", "name", anon().s("values", "name").bc).
		s("property", "name", "an animal").s("property", anon().s("values", "name").bc, anon().s("label").bc).
		s("properties").s("value"), false, "an animal", "marko", "person")
	// property(single, ...) is not folded: the last value wins.
	expect(t, tx, b("addV", "person").s("property", enum("Cardinality", "single"), "name", "stephen").
		s("property", enum("Cardinality", "single"), "name", "stephenm").s("values", "name"), false, "stephenm")
	// addE() folds properties given before from()/to().
	expect(t, tx, b("V", int32(1)).s("as", "a").s("V", int32(2)).s("addE", "likes").s("property", "w", int32(1)).s("from", "a").s("outV").s("values", "name"), false, "marko")
	// An endpoint that is not a vertex is refused in TinkerPop's words.
	_, err := runQ(t, tx, b("V", int32(1)).s("outE", "knows").s("addE", "x").s("from", anon().s("V", int32(1)).bc))
	wantErr(t, err, "must resolve to a Vertex or the ID of a Vertex present in the graph")
	// property(Map) honours Cardinality values.
	card := &value.Bytecode{Sources: []value.Instruction{{Operator: "CardinalityValueTraversal", Args: []any{enum("Cardinality", "set"), "bar"}}}}
	expect(t, tx, b("V", int32(6)).s("property", mapOf("name", card, "age", int32(43))).s("properties").s("value"), false, "peter", "bar", "43:int32")
}

func TestVerificationStrategies(t *testing.T) {
	tx := modern(t)
	strat := func(name string, kv ...any) value.Strategy {
		return value.Strategy{Class: "org.apache.tinkerpop.gremlin.process.traversal.strategy.verification." + name, Config: mapOf(kv...)}
	}
	_, err := runQ(t, tx, b("addV", "person").s("property", "id", int32(1)).src("withStrategies", strat("ReservedKeysVerificationStrategy", "throwException", true)))
	wantErr(t, err, "is setting a property key to a reserved word: id")
	_, err = runQ(t, tx, b("addV", "person").s("property", "age", int32(1)).src("withStrategies", strat("ReservedKeysVerificationStrategy", "throwException", true, "keys", []any{"age"})))
	wantErr(t, err, "is setting a property key to a reserved word: age")
	expect(t, tx, b("addV", "person").s("property", "id", int32(1)).s("count").src("withStrategies", strat("ReservedKeysVerificationStrategy", "throwException", false)), false, "1:int64")
	_, err = runQ(t, tx, b("V").s("out").src("withStrategies", strat("EdgeLabelVerificationStrategy", "throwException", true)))
	wantErr(t, err, "contains a vertex step without any specified edge label")
	expect(t, tx, b("V", int32(1)).s("out", "knows").s("count").src("withStrategies", strat("EdgeLabelVerificationStrategy", "throwException", true)), false, "2:int64")
	_, err = runQ(t, tx, b("V").src("withStrategies", strat("VertexProgramRestrictionStrategy"), strat("VertexProgramStrategy")))
	wantErr(t, err, "does not allow the use of a GraphComputer")
	expect(t, tx, b("V", int32(1)).s("count").src("withStrategies", strat("VertexProgramRestrictionStrategy")).src("withoutStrategies", value.Class("org.apache.tinkerpop.gremlin.process.traversal.strategy.verification.VertexProgramRestrictionStrategy")).src("withStrategies", strat("VertexProgramStrategy")), false, "1:int64")
}

func TestCallServices(t *testing.T) {
	tx := modern(t)
	expect(t, tx, b("call"), false, "tinker.degree.centrality", "tinker.search")
	expect(t, tx, b("call", "--list").s("with", "service", anon().s("constant", "tinker.search").bc), false, "tinker.search")
	expect(t, tx, b("call", "tinker.search", mapOf("search", "vada")).s("element"), false, "v[2]")
	expect(t, tx, b("call", "tinker.search").s("with", "search", "mar").s("with", "type", "Edge"), false)
	expect(t, tx, b("V").s("call", "tinker.degree.centrality").s("with", "direction", enum("Direction", "OUT")), false,
		"3:int64", "0:int64", "0:int64", "2:int64", "0:int64", "1:int64")
	expect(t, tx, b("V").s("where", anon().s("call", "tinker.degree.centrality").s("is", int64(3)).bc).s("values", "name"), false, "lop")
	_, err := runQ(t, tx, b("call", "nope"))
	wantErr(t, err, "Unrecognized service: nope")
	_, err = runQ(t, tx, b("call", "tinker.degree.centrality"))
	wantErr(t, err, "cannot be used to start a traversal")
	_, err = runQ(t, tx, b("call", "tinker.search"))
	wantErr(t, err, "Missing search/regex parameter")
}

func TestTreeAndPartitionAdjacency(t *testing.T) {
	tx := modern(t)
	expect(t, tx, b("V", int32(1)).s("out").s("tree").s("is", &value.P{Operator: "typeOf", Values: []any{enum("GType", "TREE")}}).s("count"), false, "1:int64")
	got, err := runQ(t, tx, b("V", int32(1)).s("out", "knows").s("tree").s("by", "name"))
	if err != nil || len(got) != 1 {
		t.Fatalf("tree: %v %v", got, err)
	}
	tr := got[0].(*value.Tree)
	if len(tr.Branches) != 1 || tr.Branches[0].Key != "marko" || len(tr.Branches[0].Tree.Branches) != 2 {
		t.Fatalf("tree: unexpected shape %+v", tr)
	}
	// PartitionStrategy hides adjacent vertices outside the read partitions.
	part := value.Strategy{Class: "PartitionStrategy", Config: mapOf("partitionKey", "_p", "writePartition", "a", "readPartitions", []any{"a"})}
	expect(t, tx, b("addV", "p").s("property", "name", "alice").s("as", "a").
		s("addV", "p").s("property", "name", "bob").s("property", "_p", "b").s("addE", "knows").s("from", "a").s("count"), false, "1:int64")
	expect(t, tx, b("V").s("out").s("values", "name").src("withStrategies", part), false)
}

func TestIORead(t *testing.T) {
	dir := t.TempDir()
	data := `{"id":101,"label":"person","outE":{"knows":[{"id":103,"inV":102}]},"properties":{"name":[{"id":100,"value":"a"}]}}
{"id":102,"label":"person","inE":{"knows":[{"id":103,"outV":101}]},"properties":{"name":[{"id":104,"value":"b"}]}}
`
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "data", "g.json"), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	tx := modern(t)
	// io() is off unless the engine names a directory.
	_, err := runQ(t, tx, b("io", "data/g.json").s("read"))
	wantErr(t, err, "io() is not enabled")
	eng := NewEngine(Config{IORoot: dir})
	_, err = runWith(t, eng, tx, b("io", "../g.json").s("read"))
	wantErr(t, err, "outside the server's io directory")
	_, err = runWith(t, eng, tx, b("io", "data/g.kryo").s("read"))
	wantErr(t, err, "gryo format")
	_, err = runWith(t, eng, tx, b("io", "data/g.json").s("with", "~tinkerpop.io.reader", "graphson").s("read"))
	if err != nil {
		t.Fatal(err)
	}
	expect(t, tx, b("E").s("count"), false, "7:int64")
	_, err = runQ(t, tx, b("V").s("read"))
	wantErr(t, err, "read() must follow io()")
}

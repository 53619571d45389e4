package lang

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"sort"
	"testing"
	"time"
	"unsafe"

	gremlingo "github.com/apache/tinkerpop/gremlin-go/v3/driver"
	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// The cross-check builds the same traversal with gremlin-go 3.8.1 and
// with the parser, converts gremlin-go's bytecode to the shared value
// model and requires identical instructions and argument types. This pins
// enum spellings, predicate shapes, strategy names and literal types to
// what the Go driver sends.

var (
	gg   = gremlingo.NewDefaultGraphTraversalSource()
	anon = gremlingo.T__
	gP   = gremlingo.P
	gTP  = gremlingo.TextP
)

type goCase struct {
	script string
	build  func() *gremlingo.GraphTraversal
}

func goCases() []goCase {
	t := gremlingo.T
	mp := func(kv ...any) map[any]any {
		m := map[any]any{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	dt := time.Date(2023, 8, 1, 0, 0, 0, 0, time.UTC)
	id := uuid.MustParse("6100808b-62f9-42b7-957e-ed66c30f40d1")
	return []goCase{
		{`g.V()`, func() *gremlingo.GraphTraversal { return gg.V() }},
		{`g.V(1).out("knows").values("name")`, func() *gremlingo.GraphTraversal {
			return gg.V(int32(1)).Out("knows").Values("name")
		}},
		{`g.V().has("person", "name", "marko").outE().inV().path()`, func() *gremlingo.GraphTraversal {
			return gg.V().Has("person", "name", "marko").OutE().InV().Path()
		}},
		{`g.V().hasLabel("person").order().by("age", desc).limit(2L)`, func() *gremlingo.GraphTraversal {
			return gg.V().HasLabel("person").Order().By("age", gremlingo.Order.Desc).Limit(int64(2))
		}},
		{`g.V().order().by(__.outE().count(), Order.asc).by(shuffle)`, func() *gremlingo.GraphTraversal {
			return gg.V().Order().By(anon.OutE().Count(), gremlingo.Order.Asc).By(gremlingo.Order.Shuffle)
		}},
		{`g.V().group().by(T.label).by(__.values("name").fold())`, func() *gremlingo.GraphTraversal {
			return gg.V().Group().By(t.Label).By(anon.Values("name").Fold())
		}},
		{`g.V().both().dedup().fold().count(local)`, func() *gremlingo.GraphTraversal {
			return gg.V().Both().Dedup().Fold().Count(gremlingo.Scope.Local)
		}},
		{`g.V().values("age").is(P.gt(30).and(P.lt(40)))`, func() *gremlingo.GraphTraversal {
			return gg.V().Values("age").Is(gP.Gt(int32(30)).And(gP.Lt(int32(40))))
		}},
		{`g.V().has("name", TextP.startingWith("ma").or(TextP.endingWith("s")))`, func() *gremlingo.GraphTraversal {
			return gg.V().Has("name", gTP.StartingWith("ma").Or(gTP.EndingWith("s")))
		}},
		{`g.V().has("name", containing("ar")).has("name", notRegex("^x"))`, func() *gremlingo.GraphTraversal {
			return gg.V().Has("name", gTP.Containing("ar")).Has("name", gTP.NotRegex("^x"))
		}},
		{`g.V().has("age", within(27, 29))`, func() *gremlingo.GraphTraversal {
			return gg.V().Has("age", gP.Within(int32(27), int32(29)))
		}},
		{`g.V().has("age", P.without([27, 29]))`, func() *gremlingo.GraphTraversal {
			return gg.V().Has("age", gP.Without([]any{int32(27), int32(29)}))
		}},
		{`g.V().has("age", P.not(P.eq(27))).has("age", P.between(1, 100)).has("age", inside(0, 99))`, func() *gremlingo.GraphTraversal {
			return gg.V().Has("age", gP.Not(gP.Eq(int32(27)))).Has("age", gP.Between(int32(1), int32(100))).Has("age", gP.Inside(int32(0), int32(99)))
		}},
		{`g.V().as("a").out().as("b").select(Pop.all, "a", "b").by("name")`, func() *gremlingo.GraphTraversal {
			return gg.V().As("a").Out().As("b").Select(gremlingo.Pop.All, "a", "b").By("name")
		}},
		{`g.V().select(last, "a").select(first, "b").select(mixed, "c")`, func() *gremlingo.GraphTraversal {
			return gg.V().Select(gremlingo.Pop.Last, "a").Select(gremlingo.Pop.First, "b").Select(gremlingo.Pop.Mixed, "c")
		}},
		{`g.V().project("a", "b").by(__.id()).by(label())`, func() *gremlingo.GraphTraversal {
			return gg.V().Project("a", "b").By(anon.Id()).By(anon.Label())
		}},
		{`g.V().valueMap().with(WithOptions.tokens, WithOptions.all).with(WithOptions.indexer, WithOptions.map)`, func() *gremlingo.GraphTraversal {
			return gg.V().ValueMap().With(gremlingo.WithOptions.Tokens, gremlingo.WithOptions.All).With(gremlingo.WithOptions.Indexer, gremlingo.WithOptions.Map)
		}},
		{`g.V().valueMap(true, "name").with(WithOptions.tokens, WithOptions.labels)`, func() *gremlingo.GraphTraversal {
			return gg.V().ValueMap(true, "name").With(gremlingo.WithOptions.Tokens, gremlingo.WithOptions.Labels)
		}},
		{`g.V().properties().hasKey("name").value()`, func() *gremlingo.GraphTraversal {
			return gg.V().Properties().HasKey("name").Value()
		}},
		{`g.addV("person").property(Cardinality.list, "name", "x").property(single, "age", 1L).property(set, "k", 2s)`, func() *gremlingo.GraphTraversal {
			return gg.AddV("person").Property(gremlingo.Cardinality.List, "name", "x").Property(gremlingo.Cardinality.Single, "age", int64(1)).Property(gremlingo.Cardinality.Set, "k", int16(2))
		}},
		{`g.addV("person").property(T.id, 100L).property(id, 1).property(T.label, "x")`, func() *gremlingo.GraphTraversal {
			return gg.AddV("person").Property(t.Id, int64(100)).Property(t.Id, int32(1)).Property(t.Label, "x")
		}},
		{`g.addE("knows").from(__.V(1)).to(__.V(2)).property("weight", 0.5d)`, func() *gremlingo.GraphTraversal {
			return gg.AddE("knows").From(anon.V(int32(1))).To(anon.V(int32(2))).Property("weight", 0.5)
		}},
		{`g.addV("data").property("b", 1b).property("s", 2s).property("i", 3i).property("l", 4L).property("f", 5.5f).property("d", 6.25d).property("n", 7n).property("m", 8.5m).property("plain", 9).property("big", 3000000000).property("huge", 99999999999999999999).property("dbl", 1.5)`, func() *gremlingo.GraphTraversal {
			return gg.AddV("data").Property("b", uint8(1)).Property("s", int16(2)).Property("i", int32(3)).Property("l", int64(4)).
				Property("f", float32(5.5)).Property("d", 6.25).Property("n", big.NewInt(7)).Property("m", gremlingo.ParseBigDecimal("8.5")).
				Property("plain", int32(9)).Property("big", int64(3000000000)).Property("huge", gremlingo.ParseBigInt("99999999999999999999")).Property("dbl", 1.5)
		}},
		{`g.addV("data").property("hex", 0x1F).property("oct", 010).property("neg", -5L).property("exp", 1e3).property("under", 1_000)`, func() *gremlingo.GraphTraversal {
			return gg.AddV("data").Property("hex", int32(31)).Property("oct", int32(8)).Property("neg", int64(-5)).Property("exp", 1000.0).Property("under", int32(1000))
		}},
		{`g.inject([1, 2], [a: 1], {1, 2}, [:], [])`, func() *gremlingo.GraphTraversal {
			return gg.Inject([]any{int32(1), int32(2)}, mp("a", int32(1)), gremlingo.NewSimpleSet(int32(1), int32(2)), mp(), []any{})
		}},
		{`g.inject(datetime("2023-08-01T00:00:00Z"), UUID("6100808b-62f9-42b7-957e-ed66c30f40d1"), "s", 'q')`, func() *gremlingo.GraphTraversal {
			return gg.Inject(dt, id, "s", "q")
		}},
		{`g.inject(null, true, false, NaN, Infinity, -Infinity)`, func() *gremlingo.GraphTraversal {
			return gg.Inject(nil, true, false, math.NaN(), math.Inf(1), math.Inf(-1))
		}},
		{`g.inject(1..3, "a".."c")`, func() *gremlingo.GraphTraversal {
			return gg.Inject([]any{int32(1), int32(2), int32(3)}, []any{"a", "b", "c"})
		}},
		{`g.withSack(1.0d).V().sack(Operator.sum).by("weight").sack()`, func() *gremlingo.GraphTraversal {
			return gg.WithSack(1.0).V().Sack(gremlingo.Operator.Sum).By("weight").Sack()
		}},
		{`g.withSack(0, sum).V().sack(mult).by(constant(2))`, func() *gremlingo.GraphTraversal {
			return gg.WithSack(int32(0), gremlingo.Operator.Sum).V().Sack(gremlingo.Operator.Mult).By(anon.Constant(int32(2)))
		}},
		{`g.withSideEffect("a", [:]).withSideEffect("b", 0, Operator.addAll).V().groupCount("a")`, func() *gremlingo.GraphTraversal {
			return gg.WithSideEffect("a", mp()).WithSideEffect("b", int32(0), gremlingo.Operator.AddAll).V().GroupCount("a")
		}},
		{`g.withStrategies(ReadOnlyStrategy).V()`, func() *gremlingo.GraphTraversal {
			return gg.WithStrategies(gremlingo.ReadOnlyStrategy()).V()
		}},
		{`g.withStrategies(new PartitionStrategy(partitionKey: "_partition", writePartition: "a", readPartitions: {"a"}, includeMetaProperties: false)).V()`, func() *gremlingo.GraphTraversal {
			return gg.WithStrategies(gremlingo.PartitionStrategy(gremlingo.PartitionStrategyConfig{
				PartitionKey: "_partition", WritePartition: "a", ReadPartitions: gremlingo.NewSimpleSet("a")})).V()
		}},
		{`g.withStrategies(new SubgraphStrategy(vertices: __.has("name", "marko"), checkAdjacentVertices: false), SeedStrategy(seed: 99L)).V()`, func() *gremlingo.GraphTraversal {
			return gg.WithStrategies(gremlingo.SubgraphStrategy(gremlingo.SubgraphStrategyConfig{
				Vertices: anon.Has("name", "marko"), CheckAdjacentVertices: false}), gremlingo.SeedStrategy(gremlingo.SeedStrategyConfig{Seed: 99})).V()
		}},
		{`g.withStrategies(VertexProgramRestrictionStrategy, LazyBarrierStrategy, ComputerVerificationStrategy).V()`, func() *gremlingo.GraphTraversal {
			return gg.WithStrategies(gremlingo.VertexProgramRestrictionStrategy(), gremlingo.LazyBarrierStrategy(), gremlingo.ComputerVerificationStrategy()).V()
		}},
		{`g.withoutStrategies(ReadOnlyStrategy, CountStrategy, GraphFilterStrategy).V()`, func() *gremlingo.GraphTraversal {
			return gg.WithoutStrategies(gremlingo.ReadOnlyStrategy(), gremlingo.CountStrategy(), gremlingo.GraphFilterStrategy()).V()
		}},
		{`g.with("evaluationTimeout", 500L).with("b", "x").V()`, func() *gremlingo.GraphTraversal {
			return gg.With("evaluationTimeout", int64(500)).With("b", "x").V()
		}},
		{`g.withBulk(false).withPath().V()`, func() *gremlingo.GraphTraversal {
			return gg.WithBulk(false).WithPath().V()
		}},
		{`g.V().repeat(__.out()).times(2).emit()`, func() *gremlingo.GraphTraversal {
			return gg.V().Repeat(anon.Out()).Times(int32(2)).Emit()
		}},
		{`g.V().repeat("a", out()).until(has("name", "ripple")).emit(hasLabel("person"))`, func() *gremlingo.GraphTraversal {
			return gg.V().Repeat("a", anon.Out()).Until(anon.Has("name", "ripple")).Emit(anon.HasLabel("person"))
		}},
		{`g.V().choose(__.hasLabel("person"), __.out(), __.in()).choose(P.eq(1), identity())`, func() *gremlingo.GraphTraversal {
			return gg.V().Choose(anon.HasLabel("person"), anon.Out(), anon.In()).Choose(gP.Eq(int32(1)), anon.Identity())
		}},
		{`g.V().choose(values("age")).option(27, __.constant("x")).option(Pick.none, constant("y")).option(any, constant("z")).option(Pick.unproductive, constant("u"))`, func() *gremlingo.GraphTraversal {
			return gg.V().Choose(anon.Values("age")).Option(int32(27), anon.Constant("x")).Option(gremlingo.Pick.None, anon.Constant("y")).Option(gremlingo.Pick.Any, anon.Constant("z")).Option(gremlingo.Pick.Unproductive, anon.Constant("u"))
		}},
		{`g.V().coalesce(__.outE("knows"), __.inE("created")).otherV()`, func() *gremlingo.GraphTraversal {
			return gg.V().Coalesce(anon.OutE("knows"), anon.InE("created")).OtherV()
		}},
		{`g.V().local(__.outE().limit(Scope.local, 2L)).range(1L, 3L).fold().range(local, 0L, 2L).tail(local, 1L).skip(2L)`, func() *gremlingo.GraphTraversal {
			return gg.V().Local(anon.OutE().Limit(gremlingo.Scope.Local, int64(2))).Range(int64(1), int64(3)).Fold().Range(gremlingo.Scope.Local, int64(0), int64(2)).Tail(gremlingo.Scope.Local, int64(1)).Skip(int64(2))
		}},
		{`g.V().outE().toV(Direction.IN).toE(BOTH, "knows").toV(OUT).toE(Direction.from).toE(to)`, func() *gremlingo.GraphTraversal {
			return gg.V().OutE().ToV(gremlingo.Direction.In).ToE(gremlingo.Direction.Both, "knows").ToV(gremlingo.Direction.Out).ToE(gremlingo.Direction.From).ToE(gremlingo.Direction.To)
		}},
		{`g.mergeV([(T.label): "person", name: "marko"]).option(Merge.onCreate, [age: 29]).option(onMatch, ["age": Cardinality.single(30)])`, func() *gremlingo.GraphTraversal {
			return gg.MergeV(mp(t.Label, "person", "name", "marko")).Option(gremlingo.Merge.OnCreate, mp("age", int32(29))).Option(gremlingo.Merge.OnMatch, mp("age", gremlingo.CardinalityValue.Single(int32(30))))
		}},
		{`g.mergeE([(Direction.OUT): 1, (IN): 2, (T.label): "knows"]).option(Merge.outV, [name: "a"]).option(inV, null)`, func() *gremlingo.GraphTraversal {
			return gg.MergeE(mp(gremlingo.Direction.Out, int32(1), gremlingo.Direction.In, int32(2), t.Label, "knows")).Option(gremlingo.Merge.OutV, mp("name", "a")).Option(gremlingo.Merge.InV, nil)
		}},
		{`g.inject(datetime("2023-08-01T00:00:00Z")).dateAdd(DT.day, 1).dateAdd(hour, 2).dateDiff(datetime("2023-08-01T00:00:00Z"))`, func() *gremlingo.GraphTraversal {
			return gg.Inject(dt).DateAdd(gremlingo.DT.Day, int32(1)).DateAdd(gremlingo.DT.Hour, int32(2)).DateDiff(dt)
		}},
		{`g.V().values("name").asString().concat(" x", "y").toUpper().substring(1, 3).split(",").length(local)`, func() *gremlingo.GraphTraversal {
			return gg.V().Values("name").AsString().Concat(" x", "y").ToUpper().Substring(int32(1), int32(3)).Split(",").Length(gremlingo.Scope.Local)
		}},
		{`g.V().values("age").is(P.typeOf(GType.INT)).asNumber(GType.LONG).asBool()`, func() *gremlingo.GraphTraversal {
			return gg.V().Values("age").Is(gP.TypeOf(gremlingo.GType.Int)).AsNumber(gremlingo.GType.Long).AsBool()
		}},
		{`g.V().sack(div).by("x").barrier(normSack).barrier(Barrier.normSack).barrier(100)`, func() *gremlingo.GraphTraversal {
			return gg.V().Sack(gremlingo.Operator.Div).By("x").Barrier(gremlingo.Barrier.NormSack).Barrier(gremlingo.Barrier.NormSack).Barrier(int32(100))
		}},
		{`g.V().out().tree().by("name")`, func() *gremlingo.GraphTraversal { return gg.V().Out().Tree().By("name") }},
		{`g.V().dedup(Scope.global, "a", "b").aggregate(local, "x").aggregate("y")`, func() *gremlingo.GraphTraversal {
			return gg.V().Dedup(gremlingo.Scope.Global, "a", "b").Aggregate(gremlingo.Scope.Local, "x").Aggregate("y")
		}},
		{`g.E().hasId(1L, 2L).bothV().hasId(P.within(1L))`, func() *gremlingo.GraphTraversal {
			return gg.E().HasId(int64(1), int64(2)).BothV().HasId(gP.Within(int64(1)))
		}},
		{`g.V().where(__.out("created").count().is(P.gte(2L))).as("a").where("a", P.neq("b")).where(neq("c"))`, func() *gremlingo.GraphTraversal {
			return gg.V().Where(anon.Out("created").Count().Is(gP.Gte(int64(2)))).As("a").Where("a", gP.Neq("b")).Where(gP.Neq("c"))
		}},
		{`g.V().math("_ + 1").by("age")`, func() *gremlingo.GraphTraversal { return gg.V().Math("_ + 1").By("age") }},
		{`g.V().connectedComponent().with(ConnectedComponent.edges, __.bothE("knows")).with(ConnectedComponent.propertyName, "c")`, func() *gremlingo.GraphTraversal {
			return gg.V().ConnectedComponent().With("~tinkerpop.connectedComponent.edges", anon.BothE("knows")).With("~tinkerpop.connectedComponent.propertyName", "c")
		}},
		{`g.V().pageRank(0.85d).with(PageRank.propertyName, "pr").with(PageRank.times, 3).peerPressure().with(PeerPressure.edges, outE())`, func() *gremlingo.GraphTraversal {
			return gg.V().PageRank(0.85).With("~tinkerpop.pageRank.propertyName", "pr").With("~tinkerpop.pageRank.times", int32(3)).PeerPressure().With("~tinkerpop.peerPressure.edges", anon.OutE())
		}},
		{`g.V().shortestPath().with(ShortestPath.target, __.hasId(1)).with(ShortestPath.includeEdges, true)`, func() *gremlingo.GraphTraversal {
			return gg.V().ShortestPath().With("~tinkerpop.shortestPath.target", anon.HasId(int32(1))).With("~tinkerpop.shortestPath.includeEdges", true)
		}},
		{`g.io("data.kryo").with(IO.reader, IO.gryo).read()`, func() *gremlingo.GraphTraversal {
			return gg.Io("data.kryo").With(gremlingo.IO.Reader, gremlingo.IO.Gryo).Read()
		}},
		{`g.call("tinker.search", [search: "x"]).call("x", __.identity())`, func() *gremlingo.GraphTraversal {
			return gg.Call("tinker.search", mp("search", "x")).Call("x", anon.Identity())
		}},
		{`g.union(__.V(1), __.V(2)).values("name")`, func() *gremlingo.GraphTraversal {
			return gg.Union(anon.V(int32(1)), anon.V(int32(2))).Values("name")
		}},
		{`g.V().group().by(label).unfold().order().by(Column.keys, Order.desc).select(values).select(keys)`, func() *gremlingo.GraphTraversal {
			return gg.V().Group().By(t.Label).Unfold().Order().By(gremlingo.Column.Keys, gremlingo.Order.Desc).Select(gremlingo.Column.Values).Select(gremlingo.Column.Keys)
		}},
		{`g.V().fold(0, sum).fold().discard()`, func() *gremlingo.GraphTraversal {
			return gg.V().Fold(int32(0), gremlingo.Operator.Sum).Fold().Discard()
		}},
		{`g.V().has(T.id, 1).has(label, "x").hasNot("age").has("a", "b", gt(1)).has("c", __.count())`, func() *gremlingo.GraphTraversal {
			return gg.V().Has(t.Id, int32(1)).Has(t.Label, "x").HasNot("age").Has("a", "b", gP.Gt(int32(1))).Has("c", anon.Count())
		}},
		{`g.addE("knows").from(new Vertex(1, "person")).to(Vertex(2L, "software"))`, func() *gremlingo.GraphTraversal {
			return gg.AddE("knows").From(&gremlingo.Vertex{Element: gremlingo.Element{Id: int32(1), Label: "person"}}).To(&gremlingo.Vertex{Element: gremlingo.Element{Id: int64(2), Label: "software"}})
		}},
		{`g.V(x).out(y).has("age", P.gt(z))`, func() *gremlingo.GraphTraversal {
			b := &gremlingo.Bindings{}
			return gg.V(b.Of("x", 1)).Out(b.Of("y", "a")).Has("age", gP.Gt(b.Of("z", 2)))
		}},
		{`g.V().match(__.as("a").out().as("b"), __.as("b").in().as("c")).select("a", "c")`, func() *gremlingo.GraphTraversal {
			return gg.V().Match(anon.As("a").Out().As("b"), anon.As("b").In().As("c")).Select("a", "c")
		}},
		{`g.V().and(has("a"), __.has("b")).or(out(), in()).not(out()).filter(has("x")).sideEffect(property("k", 1)).optional(out()).flatMap(out()).map(id()).branch(label())`, func() *gremlingo.GraphTraversal {
			return gg.V().And(anon.Has("a"), anon.Has("b")).Or(anon.Out(), anon.In()).Not(anon.Out()).Filter(anon.Has("x")).SideEffect(anon.Property("k", int32(1))).Optional(anon.Out()).FlatMap(anon.Out()).Map(anon.Id()).Branch(anon.Label())
		}},
		{`g.V().all(gt(1)).any(eq("x")).none(lte(0)).combine([1]).difference([2]).disjunct([3]).intersect([4]).merge([5]).product([6]).conjoin("-")`, func() *gremlingo.GraphTraversal {
			return gg.V().All(gP.Gt(int32(1))).Any(gP.Eq("x")).None(gP.Lte(int32(0))).Combine([]any{int32(1)}).Difference([]any{int32(2)}).Disjunct([]any{int32(3)}).Intersect([]any{int32(4)}).Merge([]any{int32(5)}).Product([]any{int32(6)}).Conjoin("-")
		}},
		{`g.V().elementMap("name").propertyMap().index().loops().cyclicPath().simplePath().profile().cap("a", "b").subgraph("sg").timeLimit(10L).coin(0.5d).sample(local, 2)`, func() *gremlingo.GraphTraversal {
			return gg.V().ElementMap("name").PropertyMap().Index().Loops().CyclicPath().SimplePath().Profile().Cap("a", "b").Subgraph("sg").TimeLimit(int64(10)).Coin(0.5).Sample(gremlingo.Scope.Local, int32(2))
		}},
		{`g.V().format("%{name}").replace("a", "b").trim().lTrim(local).rTrim().toLower().reverse().asDate().fail("boom")`, func() *gremlingo.GraphTraversal {
			return gg.V().Format("%{name}").Replace("a", "b").Trim().LTrim(gremlingo.Scope.Local).RTrim().ToLower().Reverse().AsDate().Fail("boom")
		}},
		{`g.V().mergeV(__.identity()).mergeE().addV(__.constant("x")).element().drop()`, func() *gremlingo.GraphTraversal {
			return gg.V().MergeV(anon.Identity()).MergeE().AddV(anon.Constant("x")).Element().Drop()
		}},
		{`g.V().has("age", P.gt(1).negate()).has("name", TextP.containing("a").negate()).has("x", P.within(1, 2).negate())`, func() *gremlingo.GraphTraversal {
			return gg.V().Has("age", gP.Lte(int32(1))).Has("name", gTP.NotContaining("a")).Has("x", gP.Without(int32(1), int32(2)))
		}},
	}
}

func TestGremlinGoCrossCheck(t *testing.T) {
	cases := goCases()
	if len(cases) < 50 {
		t.Fatalf("only %d cross-check cases", len(cases))
	}
	for _, c := range cases {
		src, got, err := ParseTraversal(c.script)
		if err != nil {
			t.Errorf("%s: %v", c.script, err)
			continue
		}
		if src != "g" {
			t.Errorf("%s: source %q", c.script, src)
		}
		want := fromGo(c.build().Bytecode, "")
		if d := diff("", normalize(want), normalize(got)); d != "" {
			t.Errorf("%s:\n  %s\n  gremlin-go: %s\n  parser:     %s", c.script, d, Format("g", want), Format("g", got))
		}
	}
	t.Logf("%d traversals match gremlin-go's bytecode", len(cases))
}

// field reads an unexported struct field of gremlin-go's bytecode.
func field(v reflect.Value, name string) reflect.Value {
	f := v.FieldByName(name)
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}

func fromGo(bc *gremlingo.Bytecode, _ string) *value.Bytecode {
	rv := reflect.ValueOf(bc).Elem()
	out := &value.Bytecode{}
	conv := func(list reflect.Value) []value.Instruction {
		var ins []value.Instruction
		for i := 0; i < list.Len(); i++ {
			el := list.Index(i)
			op := field(el, "operator").String()
			args := field(el, "arguments").Interface().([]any)
			if op == "withStrategies" && len(args) == 0 {
				continue // NewGraphTraversalSource's empty strategy list: a no-op
			}
			var vals []any
			for _, a := range args {
				v := fromGoValue(a)
				if op == "withoutStrategies" {
					if s, ok := v.(value.Strategy); ok {
						v = value.Class(s.Class)
					}
				}
				vals = append(vals, v)
			}
			if vals == nil {
				vals = []any{}
			}
			ins = append(ins, value.Instruction{Operator: op, Args: vals})
		}
		return ins
	}
	// a struct copy is addressable through the pointer
	out.Sources = conv(field(rv, "sourceInstructions"))
	out.Steps = conv(field(rv, "stepInstructions"))
	return out
}

var goEnumTypes = map[string]string{
	"t": "T", "direction": "Direction", "order": "Order", "scope": "Scope", "pop": "Pop",
	"column": "Column", "cardinality": "Cardinality", "barrier": "Barrier", "operator": "Operator",
	"pick": "Pick", "merge": "Merge", "dt": "DT", "gType": "GType",
}

func fromGoValue(a any) any {
	switch x := a.(type) {
	case nil, bool, string, int16, int32, int64, float32, float64, time.Time, uuid.UUID:
		return x
	case uint8:
		return int8(x)
	case int:
		return int64(x)
	case *big.Int:
		return x
	case *gremlingo.BigDecimal:
		return value.BigDecimal{Unscaled: x.UnscaledValue, Scale: x.Scale}
	case *gremlingo.Bytecode:
		return fromGo(x, "")
	case gremlingo.Bytecode:
		return fromGo(&x, "")
	case *gremlingo.GraphTraversal:
		return fromGo(x.Bytecode, "")
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = fromGoValue(e)
		}
		return out
	case map[any]any:
		m := value.NewMap()
		for k, v := range x {
			m.Put(fromGoValue(k), fromGoValue(v))
		}
		return m
	case map[string]any:
		m := value.NewMap()
		for k, v := range x {
			m.Put(k, fromGoValue(v))
		}
		return m
	case *gremlingo.SimpleSet:
		s := value.NewSet()
		for _, e := range x.ToSlice() {
			s.Add(fromGoValue(e))
		}
		return s
	case *gremlingo.Binding:
		return value.Binding{Key: x.Key}
	case *gremlingo.Vertex:
		return &value.Vertex{ID: fromGoValue(x.Id), Label: x.Label}
	}
	rv := reflect.ValueOf(a)
	rt := rv.Type()
	if typ, ok := goEnumTypes[rt.Name()]; ok && rt.Kind() == reflect.String {
		return value.Enum{Type: typ, Name: rv.String()}
	}
	if rt.Kind() == reflect.Pointer {
		rv = rv.Elem()
		rt = rv.Type()
	}
	// copy to an addressable value so unexported fields can be read
	cp := reflect.New(rt).Elem()
	cp.Set(rv)
	switch rt.Name() {
	case "p", "textP":
		op := field(cp, "operator").String()
		vals := field(cp, "values").Interface().([]any)
		out := &value.P{Operator: op, Text: rt.Name() == "textP", Values: []any{}}
		for _, v := range vals {
			out.Values = append(out.Values, fromGoValue(v))
		}
		return out
	case "traversalStrategy":
		cfg := value.NewMap()
		if m := field(cp, "configuration").Interface().(map[string]any); m != nil {
			for k, v := range m {
				cfg.Put(k, fromGoValue(v))
			}
		}
		return value.Strategy{Class: field(cp, "name").String(), Config: cfg}
	}
	panic(fmt.Sprintf("cross-check: unhandled gremlin-go value %T", a))
}

// normalize sorts map entries (Go maps are unordered, the parser keeps
// script order) so that the two sides compare as equal maps.
func normalize(v any) any {
	switch x := v.(type) {
	case *value.Bytecode:
		out := &value.Bytecode{}
		for _, ins := range x.Sources {
			out.Sources = append(out.Sources, value.Instruction{Operator: ins.Operator, Args: normalize(ins.Args).([]any)})
		}
		for _, ins := range x.Steps {
			out.Steps = append(out.Steps, value.Instruction{Operator: ins.Operator, Args: normalize(ins.Args).([]any)})
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	case *value.Map:
		ents := append([]value.MapEntry{}, x.Entries()...)
		sort.Slice(ents, func(i, j int) bool { return value.Key(ents[i].Key) < value.Key(ents[j].Key) })
		m := value.NewMap()
		for _, e := range ents {
			m.Put(normalize(e.Key), normalize(e.Value))
		}
		return m
	case *value.Set:
		s := value.NewSet()
		for _, e := range x.Items() {
			s.Add(normalize(e))
		}
		return s
	case *value.P:
		return &value.P{Operator: x.Operator, Text: x.Text, Values: normalize(x.Values).([]any)}
	case value.Strategy:
		c := x.Config
		if c == nil {
			c = value.NewMap()
		}
		return value.Strategy{Class: x.Class, Config: normalize(c).(*value.Map)}
	}
	return v
}

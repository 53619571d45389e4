package traversal

import (
	"testing"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

func TestScratch46104(t *testing.T) {
	tx := modern(t)
	pb := value.Strategy{Class: "org.apache.tinkerpop.gremlin.process.traversal.strategy.optimization.ProductiveByStrategy"}
	for _, q := range []*bcb{
		b("V").s("aggregate", "a").s("by", "foo").s("cap", "a").src("withStrategies", pb),
		b("V").s("aggregate", "a").s("by", "foo").s("cap", "a").s("unfold").s("max").src("withStrategies", pb),
		b("V").s("aggregate", "a").s("by", "foo").s("cap", "a").s("max", value.Enum{Type: "Scope", Name: "local"}).src("withStrategies", pb),
		b("inject", 1).s("repeat", anon().s("sack", value.Enum{Type: "Operator", Name: "sum"}).s("by", anon().s("constant", 1).bc).bc).s("times", 5).s("emit").s("math", "sin _").s("by", anon().s("sack").bc).src("withSack", 1),
	} {
		got, err := runQ(t, tx, q)
		t.Logf("%s => %v %v", describe(q.bc), show(got), err)
	}
}

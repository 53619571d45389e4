package main

import (
	"fmt"
	"math/big"
	"time"

	gremlingo "github.com/apache/tinkerpop/gremlin-go/v3/driver"
	"github.com/google/uuid"
)

// Fixed values the golden tests expect (see gremlin/io/golden_test.go).
var (
	fixedUUID    = uuid.MustParse("00112233-4455-6677-8899-aabbccddeeff")
	fixedSession = "6f1e1b2a-1111-4222-8333-944455556666"
	fixedTime    = time.Date(2023, 8, 8, 10, 15, 30, 0, time.UTC)
)

func quiet(s *gremlingo.DriverRemoteConnectionSettings) { s.LogVerbosity = gremlingo.Off }

// runGremlinGo drives gremlin-go 3.8.1 through the scenarios, one label
// per scenario.
func runGremlinGo(url string, rec *recorder) error {
	remote, err := gremlingo.NewDriverRemoteConnection(url, quiet)
	if err != nil {
		return err
	}
	defer remote.Close()
	g := gremlingo.Traversal_().With(remote)
	P, TP, T__ := gremlingo.P, gremlingo.TextP, gremlingo.T__

	steps := []struct {
		label string
		run   func() error
	}{
		{"bytecode_basic", func() error {
			_, err := g.V().Has("person", "name", "marko").Out("knows").Values("name").ToList()
			return err
		}},
		{"bytecode_numbers", func() error {
			_, err := g.Inject(int32(1), int64(2), int16(3), uint8(4), float32(1.5), 2.25, big.NewInt(-129),
				gremlingo.BigDecimal{Scale: 2, UnscaledValue: big.NewInt(12345)}, true, "s", nil).ToList()
			return err
		}},
		{"bytecode_types", func() error {
			_, err := g.Inject(fixedUUID, fixedTime, 90*time.Second, []interface{}{int32(1), "a"},
				map[string]interface{}{"k": int32(1)}, gremlingo.NewSimpleSet("x")).ToList()
			return err
		}},
		{"bytecode_predicates", func() error {
			_, err := g.V().Has("age", P.Gt(int32(30))).Has("name", P.Within("marko", "josh")).
				Has("name", TP.Containing("ar")).Has("age", P.Between(int32(20), int32(40)).And(P.Neq(int32(35)))).
				Has("name", P.Not(P.Eq("x"))).ToList()
			return err
		}},
		{"bytecode_enums", func() error {
			_, err := g.V().Order().By(gremlingo.T.Id, gremlingo.Order.Desc).
				ToE(gremlingo.Direction.Out).Count(gremlingo.Scope.Local).
				Select(gremlingo.Pop.All, "a").Select(gremlingo.Column.Keys).
				Property(gremlingo.Cardinality.List, "k", "v").
				Option(gremlingo.Merge.OnCreate, map[interface{}]interface{}{gremlingo.T.Label: "person"}).
				Sack(gremlingo.Operator.Sum).Barrier(gremlingo.Barrier.NormSack).
				Option(gremlingo.Pick.Any, T__.Identity()).
				DateAdd(gremlingo.DT.Day, int32(1)).Is(gremlingo.GType.Int).ToList()
			return err
		}},
		{"bytecode_lambda_anon", func() error {
			_, err := g.V().Map(&gremlingo.Lambda{Script: "it.get()", Language: ""}).
				Where(T__.Out("knows").Has("name", "josh")).Repeat(T__.Out()).Times(int32(2)).ToList()
			return err
		}},
		{"bytecode_strategies", func() error {
			_, err := g.WithStrategies(
				gremlingo.PartitionStrategy(gremlingo.PartitionStrategyConfig{PartitionKey: "_p", WritePartition: "a",
					ReadPartitions: gremlingo.NewSimpleSet("a")}),
				gremlingo.SubgraphStrategy(gremlingo.SubgraphStrategyConfig{Vertices: T__.Has("name", "marko")}),
				gremlingo.ReadOnlyStrategy(),
			).WithoutStrategies(gremlingo.ReadOnlyStrategy()).
				With("evaluationTimeout", int32(500)).WithSack(int32(1)).WithSideEffect("x", int32(2)).
				V().ToList()
			return err
		}},
		{"bytecode_iterate", func() error {
			return <-g.AddV("person").Property("name", "stephen").Iterate()
		}},
		{"eval_bindings", func() error {
			c, err := gremlingo.NewClient(url, func(s *gremlingo.ClientSettings) { s.LogVerbosity = gremlingo.Off })
			if err != nil {
				return err
			}
			defer c.Close()
			rs, err := c.Submit("g.V(x).values(y)", map[string]interface{}{"x": int32(1), "y": "name"})
			if err != nil {
				return err
			}
			_, err = rs.All()
			return err
		}},
		{"eval_options", func() error {
			c, err := gremlingo.NewClient(url, func(s *gremlingo.ClientSettings) {
				s.LogVerbosity = gremlingo.Off
				s.TraversalSource = "gmodern"
			})
			if err != nil {
				return err
			}
			defer c.Close()
			opts := new(gremlingo.RequestOptionsBuilder).SetRequestId(fixedUUID).SetBatchSize(16).
				SetEvaluationTimeout(1000).SetUserAgent("capture").AddBinding("n", int64(5)).Create()
			rs, err := c.SubmitWithOptions("g.V().limit(n)", opts)
			if err != nil {
				return err
			}
			_, err = rs.All()
			return err
		}},
		{"session_eval", func() error {
			c, err := gremlingo.NewClient(url, func(s *gremlingo.ClientSettings) {
				s.LogVerbosity = gremlingo.Off
				s.Session = fixedSession
			})
			if err != nil {
				return err
			}
			rs, err := c.Submit("x = 1")
			if err != nil {
				return err
			}
			if _, err = rs.All(); err != nil {
				return err
			}
			c.Close() // sends the session close request
			return nil
		}},
		{"tx", func() error {
			tx := g.Tx()
			gtx, err := tx.Begin()
			if err != nil {
				return err
			}
			if err := <-gtx.AddV("person").Property("name", "tx").Iterate(); err != nil {
				return err
			}
			return tx.Commit()
		}},
	}
	for _, s := range steps {
		rec.setLabel(s.label)
		if err := s.run(); err != nil {
			return fmt.Errorf("%s: %w", s.label, err)
		}
		time.Sleep(50 * time.Millisecond) // let trailing frames (session close) land under this label
	}
	return nil
}

package io

import (
	"math"
	"math/big"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

func TestJavaString(t *testing.T) {
	v1 := &value.Vertex{ID: int32(1), Label: "person"}
	v2 := &value.Vertex{ID: int32(2), Label: "person"}
	cases := []struct {
		v    any
		want string
	}{
		{nil, "null"},
		{v1, "v[1]"},
		{&value.Edge{ID: int32(7), Label: "knows", OutV: v1, InV: v2}, "e[7][1-knows->2]"},
		{&value.VertexProperty{ID: int64(0), Key: "name", Value: "marko"}, "vp[name->marko]"},
		{&value.VertexProperty{Key: "bio", Value: "abcdefghijklmnopqrstuvwxyz"}, "vp[bio->abcdefghijklmnopq...]"},
		{&value.Property{Key: "weight", Value: 0.5}, "p[weight->0.5]"},
		{strMap("name", []any{"marko"}, "age", []any{int32(29)}), "{name=[marko], age=[29]}"},
		{[]any{"a", "b"}, "[a, b]"},
		{[]any{}, "[]"},
		{value.NewSet(int64(1), nil), "[1, null]"},
		{&value.Path{Labels: [][]string{{}, {}}, Objects: []any{v1, v2}}, "path[v[1], v[2]]"},
		{1.0, "1.0"},
		{0.5, "0.5"},
		{float32(0.1), "0.1"},
		{1e7, "1.0E7"},
		{1.5e-5, "1.5E-5"},
		{123456.789, "123456.789"},
		{math.NaN(), "NaN"},
		{math.Inf(-1), "-Infinity"},
		{int64(3), "3"},
		{int8(-1), "-1"},
		{true, "true"},
		{big.NewInt(12), "12"},
		{value.BigDecimal{Unscaled: big.NewInt(12345), Scale: 2}, "123.45"},
		{value.BigDecimal{Unscaled: big.NewInt(1), Scale: 10}, "1E-10"},
		{value.BigDecimal{Unscaled: big.NewInt(12), Scale: -3}, "1.2E+4"},
		{value.Enum{Type: "T", Name: "id"}, "id"},
		{value.Char('x'), "x"},
		{uuid.MustParse("00112233-4455-6677-8899-aabbccddeeff"), "00112233-4455-6677-8899-aabbccddeeff"},
		{time.Date(2023, 8, 8, 10, 15, 30, 0, time.FixedZone("", 3600)), "2023-08-08T10:15:30+01:00"},
		{time.Date(2023, 8, 8, 0, 0, 0, 0, time.FixedZone("", 0)), "2023-08-08T00:00Z"},
		{time.Date(2023, 8, 8, 0, 0, 1, 5e6, time.FixedZone("", -5400)), "2023-08-08T00:00:01.005-01:30"},
		{time.Unix(0, 0).UTC(), "Thu Jan 01 00:00:00 UTC 1970"},
		{time.Duration(0), "PT0S"},
		{8*time.Hour + 6*time.Minute + 12345*time.Millisecond, "PT8H6M12.345S"},
		{-500 * time.Millisecond, "PT-0.5S"},
		{-90 * time.Second, "PT-1M-30S"},
		{value.Traverser{Bulk: 2, Value: v1}, "v[1]"},
		{&value.P{Operator: "gt", Values: []any{int32(3)}}, "gt(3)"},
		{&value.P{Operator: "within", Values: []any{int32(1), int32(2)}}, "within([1, 2])"},
		{&value.P{Operator: "between", Values: []any{int32(1), int32(5)}}, "and(gte(1), lt(5))"},
		{&value.P{Operator: "containing", Values: []any{"ar"}, Text: true}, "containing(ar)"},
		{&value.BulkSet{Items: []value.BulkItem{{Value: "a", Bulk: 2}}}, "{a=2}"},
		{&value.Tree{Branches: []value.TreeBranch{{Key: v1, Tree: &value.Tree{Branches: []value.TreeBranch{{Key: v2, Tree: &value.Tree{}}}}}}}, "{v[1]={v[2]={}}}"},
		{value.Strategy{Class: "a.b.ReadOnlyStrategy"}, "ReadOnlyStrategy"},
		{&value.Bytecode{Steps: []value.Instruction{{Operator: "V"}, {Operator: "out", Args: []any{"knows"}}}}, "[[], [V(), out(knows)]]"},
	}
	for _, c := range cases {
		if got := JavaString(c.v); got != c.want {
			t.Errorf("JavaString(%#v) = %q, want %q", c.v, got, c.want)
		}
	}
}

func TestJavaStringTraversalMetrics(t *testing.T) {
	tm := &value.TraversalMetrics{DurationNs: 119000, Metrics: []*value.Metrics{{
		ID: "0", Name: "TinkerGraphStep(vertex,[])", DurationNs: 78000,
		Counts:      strMap("elementCount", int64(6), "traverserCount", int64(6)),
		Annotations: strMap("percentDur", 65.85),
	}}}
	want := "Traversal Metrics\n" +
		"Step                                                               Count  Traversers       Time (ms)    % Dur\n" +
		"=============================================================================================================\n" +
		"TinkerGraphStep(vertex,[])                                             6           6           0.078    65.85\n" +
		"                                            >TOTAL                     -           -           0.119        -"
	if got := JavaString(tm); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestStringdResponse(t *testing.T) {
	s := GraphBinaryStringd{}
	cases := []struct {
		data any
		want any
	}{
		{nil, "null"},
		{[]any{value.Traverser{Bulk: 1, Value: &value.Vertex{ID: int32(1)}}, nil, 1.0}, []any{"v[1]", "null", "1.0"}},
		{int64(6), "6"},
	}
	for _, c := range cases {
		b, err := s.EncodeResponse(&Response{Status: Status{Code: 200}, Result: Result{Data: c.data}})
		if err != nil {
			t.Fatal(err)
		}
		resp, err := s.DecodeResponse(b)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(resp.Result.Data, c.want) {
			t.Errorf("stringd(%#v) = %#v, want %#v", c.data, resp.Result.Data, c.want)
		}
	}
	if s.MimeType() != MimeGraphBinaryStringd {
		t.Error("mime")
	}
}

func TestRegistry(t *testing.T) {
	for mime, want := range map[string]string{
		"application/vnd.graphbinary-v1.0":          MimeGraphBinary,
		" Application/vnd.graphbinary-v1.0-stringd": MimeGraphBinaryStringd,
	} {
		s, ok := ForMime(mime)
		if !ok || s.MimeType() != want {
			t.Errorf("ForMime(%q) = %v, %v", mime, s, ok)
		}
	}
	if _, ok := ForMime("text/plain"); ok {
		t.Error("text/plain has a serializer")
	}
	if Default().MimeType() != MimeGraphBinary {
		t.Error("default is not GraphBinary")
	}
}

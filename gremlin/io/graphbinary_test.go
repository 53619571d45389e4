package io

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/big"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

func TestGraphBinaryRoundTrip(t *testing.T) {
	for _, tc := range sampleValues() {
		t.Run(tc.name, func(t *testing.T) {
			b, err := MarshalGraphBinary(tc.v)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			got, err := UnmarshalGraphBinary(b)
			if err != nil {
				t.Fatalf("decode %x: %v", b, err)
			}
			if !equalValues(got, tc.v) {
				t.Fatalf("round trip changed the value\n got %#v\nwant %#v", got, tc.v)
			}
			// Every strict prefix must fail cleanly.
			for i := 0; i < len(b); i++ {
				if _, err := UnmarshalGraphBinary(b[:i]); err == nil {
					t.Fatalf("prefix of %d/%d bytes decoded without error", i, len(b))
				}
			}
		})
	}
}

// equalValues compares decoded values, treating times by instant and
// location offset, and big numbers by value.
func equalValues(a, b any) bool {
	if ta, ok := a.(time.Time); ok {
		tb, ok := b.(time.Time)
		if !ok || !ta.Equal(tb) {
			return false
		}
		_, oa := ta.Zone()
		_, ob := tb.Zone()
		return oa == ob && (ta.Location() == time.UTC) == (tb.Location() == time.UTC)
	}
	if ba, ok := a.(*big.Int); ok {
		bb, ok := b.(*big.Int)
		return ok && ba.Cmp(bb) == 0
	}
	if da, ok := a.(value.BigDecimal); ok {
		db, ok := b.(value.BigDecimal)
		return ok && da.Scale == db.Scale && da.Unscaled.Cmp(db.Unscaled) == 0
	}
	return reflect.DeepEqual(a, b)
}

// Byte layouts from the GraphBinary spec.
func TestGraphBinarySpecExamples(t *testing.T) {
	cases := []struct {
		v   any
		hex string
	}{
		{int32(1), "010000000001"},
		{int32(256), "010000000100"},
		{int64(1), "02000000000000000001"},
		{"abc", "030000000003616263"},
		{1.0, "07003ff0000000000000"},
		{float32(0.375), "08003ec00000"},
		{big.NewInt(128), "2300000000020080"},
		{big.NewInt(-129), "230000000002ff7f"},
		{big.NewInt(-128), "23000000000180"},
		{uuid.MustParse("00112233-4455-6677-8899-aabbccddeeff"), "0c0000112233445566778899aabbccddeeff"},
		{time.UnixMilli(-1).UTC(), "0400ffffffffffffffff"},
		{value.Char('¢'), "8000c2a2"},
		{nil, "fe01"},
		{value.Enum{Type: "T", Name: "id"}, "20000300000000026964"},
		{[]any{int32(1)}, "090000000001010000000001"},
		{value.Traverser{Bulk: 1, Value: "a"}, "21000000000000000001030000000001" + "61"},
	}
	for _, c := range cases {
		b, err := MarshalGraphBinary(c.v)
		if err != nil {
			t.Fatalf("%#v: %v", c.v, err)
		}
		if hex.EncodeToString(b) != c.hex {
			t.Errorf("%#v encodes to %x, want %s", c.v, b, c.hex)
		}
	}
}

func TestGraphBinaryTypedNullsAndTimestamp(t *testing.T) {
	for _, code := range []byte{gbInt, gbString, gbVertex, gbT, gbMap} {
		got, err := UnmarshalGraphBinary([]byte{code, 0x01})
		if err != nil || got != nil {
			t.Errorf("typed null of %s: got %v, %v; want nil, nil", gbTypeName(code), got, err)
		}
	}
	got, err := UnmarshalGraphBinary([]byte{gbTimestamp, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	if err != nil || !got.(time.Time).Equal(time.Unix(0, 0)) {
		t.Errorf("timestamp: %v %v", got, err)
	}
}

func TestGraphBinaryRejects(t *testing.T) {
	cases := map[string]string{
		"huge list":         "097fffffff",
		"negative list":     "09ffffffff",
		"huge string":       "037fffffff41",
		"huge map":          "0a007fffffff",
		"bad bool":          "270002",
		"null not flagged":  "fe00",
		"custom":            "00000000000141",
		"graph":             "1000",
		"unknown code":      "7700",
		"enum of int":       "2000010000000001",
		"bad month":         "8800000007e70d01000000000000000000000000",
		"bad char":          "8000ff",
		"trailing":          "0100000000010203",
		"list of huge list": "0900000000010900ffffffff",
	}
	for name, h := range cases {
		b, _ := hex.DecodeString(h)
		if _, err := UnmarshalGraphBinary(b); err == nil {
			t.Errorf("%s (%s): decoded without error", name, h)
		} else if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: error %v matches neither ErrMalformed nor ErrUnsupported", name, err)
		}
	}
	// Deep nesting fails instead of exhausting the stack.
	deep := bytes.Repeat([]byte{gbList, 0, 0, 0, 0, 1}, 100000)
	if _, err := UnmarshalGraphBinary(deep); err == nil {
		t.Error("100000 nested lists decoded without error")
	}
}

func TestGraphBinaryEncodeErrors(t *testing.T) {
	for _, v := range []any{struct{}{}, value.Enum{Type: "Nope", Name: "x"}, uint64(1)} {
		if _, err := MarshalGraphBinary(v); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%#v: err = %v, want ErrUnsupported", v, err)
		}
	}
	cyc := []any{nil}
	cyc[0] = cyc
	if _, err := MarshalGraphBinary(cyc); err == nil {
		t.Error("cyclic list encoded without error")
	}
	// Go conveniences map onto Gremlin types.
	got, err := roundTripGB(int(5))
	if err != nil || got != int64(5) {
		t.Errorf("int: %v %v", got, err)
	}
	got, err = roundTripGB(uint8(200))
	if err != nil || got != int8(-56) {
		t.Errorf("uint8: %v %v", got, err)
	}
	got, err = roundTripGB([]string{"a"})
	if err != nil || !reflect.DeepEqual(got, []any{"a"}) {
		t.Errorf("[]string: %v %v", got, err)
	}
	got, err = roundTripGB((*value.Vertex)(nil))
	if err != nil || got != nil {
		t.Errorf("nil *Vertex: %v %v", got, err)
	}
}

func roundTripGB(v any) (any, error) {
	b, err := MarshalGraphBinary(v)
	if err != nil {
		return nil, err
	}
	return UnmarshalGraphBinary(b)
}

func TestGraphBinaryMessages(t *testing.T) {
	id := uuid.MustParse("6457ee1b-d2a9-4e4a-9e55-9b5d4f1a2c3e")
	req := &Request{RequestID: id, Op: "bytecode", Processor: "traversal", Args: map[string]any{
		"gremlin": &value.Bytecode{Steps: []value.Instruction{{Operator: "V", Args: []any{}}}},
		"aliases": strMap("g", "gmodern"),
	}}
	gb := GraphBinary{}
	b, err := gb.EncodeRequest(req)
	if err != nil {
		t.Fatal(err)
	}
	got, err := gb.DecodeRequest(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, req) {
		t.Fatalf("request round trip\n got %#v\nwant %#v", got, req)
	}
	if al, err := got.StringMap("aliases"); err != nil || al["g"] != "gmodern" {
		t.Errorf("aliases: %v %v", al, err)
	}

	resp := &Response{RequestID: id, Status: Status{Code: 206, Message: "", Attributes: map[string]any{"host": "x"}},
		Result: Result{Meta: map[string]any{}, Data: []any{value.Traverser{Bulk: 1, Value: int64(6)}}}}
	b, err = gb.EncodeResponse(resp)
	if err != nil {
		t.Fatal(err)
	}
	want := "81" + "00" + "6457ee1bd2a94e4a9e559b5d4f1a2c3e" + "000000ce" + "00" + "00000000" +
		"00000001" + "0300" + "00000004" + "686f7374" + "0300" + "00000001" + "78" +
		"00000000" + "0900" + "00000001" + "2100" + "0000000000000001" + "0200" + "0000000000000006"
	if hex.EncodeToString(b) != want {
		t.Errorf("response bytes\n got %x\nwant %s", b, want)
	}
	gotResp, err := gb.DecodeResponse(b)
	if err != nil || !reflect.DeepEqual(gotResp, resp) {
		t.Fatalf("response round trip: %v\n got %#v\nwant %#v", err, gotResp, resp)
	}
	// Null request id.
	b, _ = gb.EncodeResponse(&Response{Status: Status{Code: 499, Message: "bad"}})
	if b[1] != 1 {
		t.Errorf("nil request id not written as null: %x", b)
	}
	if r, err := gb.DecodeResponse(b); err != nil || r.RequestID != uuid.Nil || r.Status.Message != "bad" {
		t.Errorf("decode null id: %+v %v", r, err)
	}
}

func TestGraphBinaryRequestErrors(t *testing.T) {
	gb := GraphBinary{}
	if _, err := gb.DecodeRequest(nil); err == nil {
		t.Error("empty request decoded")
	}
	frame, _ := BuildBinaryFrame(MimeGraphBinary, []byte{0x81})
	if _, err := gb.DecodeRequest(frame); err == nil {
		t.Error("request with mime prefix decoded")
	}
	// args key that is not a String
	b, _ := gb.EncodeRequest(&Request{Op: "eval", Args: map[string]any{}})
	b = append(b[:len(b)-4], 0, 0, 0, 1, gbInt, 0, 0, 0, 0, 1, gbInt, 0, 0, 0, 0, 1)
	if _, err := gb.DecodeRequest(b); err == nil || !errors.Is(err, ErrMalformed) {
		t.Errorf("int args key: %v", err)
	}
}

func TestFrame(t *testing.T) {
	f, err := BuildBinaryFrame(MimeGraphBinary, []byte{0x81, 1})
	if err != nil {
		t.Fatal(err)
	}
	mime, payload, err := SplitBinaryFrame(f)
	if err != nil || mime != MimeGraphBinary || !bytes.Equal(payload, []byte{0x81, 1}) {
		t.Fatalf("split: %q %x %v", mime, payload, err)
	}
	for _, bad := range [][]byte{nil, {0}, {5, 'a'}} {
		if _, _, err := SplitBinaryFrame(bad); err == nil {
			t.Errorf("SplitBinaryFrame(%x) succeeded", bad)
		}
	}
}

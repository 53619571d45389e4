package graphio

import (
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

func TestValueRoundTrip(t *testing.T) {
	m := value.NewMap()
	m.Put("a", int32(1))
	m.Put(int64(2), []any{"x", nil})
	vals := []any{
		nil, true, false, "", "héllo \"quoted\" \\ \n\t\x01 ✓ 😀",
		int32(0), int32(math.MinInt32), int32(math.MaxInt32),
		int64(math.MinInt64), int64(math.MaxInt64),
		int16(-300), int8(-7),
		float32(0.1), float32(3.4e38), float32(1), float32(math.Inf(-1)),
		0.4, 1.0, 1e21, 1e-300, -0.0, math.MaxFloat64, math.Inf(1),
		new(big.Int).Lsh(big.NewInt(1), 100),
		value.BigDecimal{Unscaled: big.NewInt(-12345), Scale: 2},
		value.BigDecimal{Unscaled: big.NewInt(7), Scale: -3},
		value.Char('é'),
		mustUUID("8f2b3c9e-2d7c-4a57-9d0e-2f5a3e8c1b11"),
		time.UnixMilli(1481750076295).UTC(),
		time.Date(2020, 1, 2, 3, 4, 5, 123456789, time.FixedZone("", 3600)),
		90*time.Minute + 500*time.Millisecond, -1500 * time.Millisecond, time.Duration(0),
		[]byte{0, 1, 2, 255},
		[]any{int32(1), "two", []any{3.0}},
		value.NewSet(int32(1), int64(1), "1"),
		m,
		value.Class("java.lang.String"),
		value.Enum{Type: "T", Name: "id"},
		value.Enum{Type: "Direction", Name: "OUT"},
	}
	for _, v := range vals {
		b, err := AppendValue(nil, v)
		if err != nil {
			t.Errorf("AppendValue(%#v): %v", v, err)
			continue
		}
		got, err := DecodeValue(b)
		if err != nil {
			t.Errorf("DecodeValue(%s): %v", b, err)
			continue
		}
		if value.Key(got) != value.Key(v) {
			t.Errorf("round trip of %T %v via %s gave %T %v", v, v, b, got, got)
		}
		if tv, ok := v.(time.Time); ok && !tv.Equal(got.(time.Time)) {
			t.Errorf("time %v came back as %v", tv, got)
		}
	}
	// NaN is not equal to itself; check it apart.
	b, _ := AppendValue(nil, math.NaN())
	if string(b) != `{"@type":"g:Double","@value":"NaN"}` {
		t.Errorf("NaN as %s", b)
	}
	if got, err := DecodeValue(b); err != nil || !math.IsNaN(got.(float64)) {
		t.Errorf("NaN back as %v, %v", got, err)
	}
}

func TestValueEncodings(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{
		{int32(29), `{"@type":"g:Int32","@value":29}`},
		{int64(0), `{"@type":"g:Int64","@value":0}`},
		{1.0, `{"@type":"g:Double","@value":1.0}`},
		{0.4, `{"@type":"g:Double","@value":0.4}`},
		{float32(0.4), `{"@type":"g:Float","@value":0.4}`},
		{time.UnixMilli(1481750076295).UTC(), `{"@type":"g:Date","@value":1481750076295}`},
		{90 * time.Minute, `{"@type":"gx:Duration","@value":"PT1H30M"}`},
		{-90 * time.Minute, `{"@type":"gx:Duration","@value":"PT-1H-30M"}`},
		{-500 * time.Millisecond, `{"@type":"gx:Duration","@value":"PT-0.5S"}`},
		{[]any{int32(1)}, `{"@type":"g:List","@value":[{"@type":"g:Int32","@value":1}]}`},
		{value.BigDecimal{Unscaled: big.NewInt(7), Scale: -3}, `{"@type":"gx:BigDecimal","@value":7E+3}`},
		{"<&>\u2028", `"<&>` + "\u2028" + `"`},
	} {
		b, err := AppendValue(nil, c.v)
		if err != nil || string(b) != c.want {
			t.Errorf("AppendValue(%v) = %s, %v; want %s", c.v, b, err, c.want)
		}
	}
	if _, err := AppendValue(nil, &value.Vertex{ID: 1}); err == nil || !strings.Contains(err.Error(), "cannot write a *value.Vertex") {
		t.Errorf("vertex value: %v", err)
	}
}

func TestValueDecodings(t *testing.T) {
	for _, c := range []struct {
		in   string
		want any
	}{
		{`1`, int32(1)},
		{`3000000000`, int64(3000000000)},
		{`123456789012345678901234567890`, func() any { b, _ := new(big.Int).SetString("123456789012345678901234567890", 10); return b }()},
		{`1.5`, 1.5},
		{`{"a":1}`, func() any { m := value.NewMap(); m.Put("a", int32(1)); return m }()},
		{`{"@type":"g:Timestamp","@value":0}`, time.UnixMilli(0).UTC()},
		{`{"@type":"gx:Duration","@value":"P2DT3H4M5.5S"}`, 51*time.Hour + 4*time.Minute + 5500*time.Millisecond},
		{`{"@type":"gx:Duration","@value":"-PT6H"}`, -6 * time.Hour},
		{`{"@type":"gx:BigDecimal","@value":"1.50"}`, value.BigDecimal{Unscaled: big.NewInt(150), Scale: 2}},
		{`{"@type":"gx:BigInteger","@value":-5}`, big.NewInt(-5)},
		{`{"@type":"g:Float","@value":"-Infinity"}`, float32(math.Inf(-1))},
		{`{"@type":"g:Set","@value":[1,1,2]}`, value.NewSet(int32(1), int32(2))},
		{`"\u00e9\ud83d\ude00\/"`, "é😀/"},
		{`{"@type":"gx:Instant","@value":"2016-12-14T16:14:36.295Z"}`, time.UnixMilli(1481732076295).UTC()},
	} {
		got, err := DecodeValue([]byte(c.in))
		if err != nil {
			t.Errorf("DecodeValue(%s): %v", c.in, err)
			continue
		}
		if value.Key(got) != value.Key(c.want) {
			t.Errorf("DecodeValue(%s) = %T %v, want %T %v", c.in, got, got, c.want, c.want)
		}
	}
	for _, c := range []struct{ in, want string }{
		{`{"@type":"g:Int32","@value":1,"extra":2}`, `at byte 1: typed value g:Int32 has unexpected field "extra"`},
		{`{"@type":"gx:Duration","@value":"1 hour"}`, `gx:Duration: "1 hour" is not an ISO-8601 duration`},
		{`{"@type":"gx:Char","@value":"ab"}`, `gx:Char: expected a one-character string, got "ab"`},
		{`{"@type":"gx:Byte","@value":200}`, `gx:Byte: 200 is out of range for a 8-bit integer`},
		{`[1,]`, `invalid JSON at byte 4: expected a JSON value, got ']'`},
		{`"abc`, `unterminated string`},
		{`01`, `unexpected '1' after the end of the JSON value`},
		{`"a\x"`, `invalid escape '\x' in string`},
	} {
		_, err := DecodeValue([]byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("DecodeValue(%s) error %v, want %q", c.in, err, c.want)
		}
	}
}

func TestISODuration(t *testing.T) {
	for _, d := range []time.Duration{0, 1, -1, time.Second, 59 * time.Second, 25 * time.Hour, -25*time.Hour - time.Nanosecond, math.MaxInt64, math.MinInt64} {
		s := value.FormatDuration(d)
		got, err := value.ParseDuration(s)
		if err != nil || got != d {
			t.Errorf("%v → %q → %v, %v", d, s, got, err)
		}
	}
	for _, bad := range []string{"", "P", "PT", "1H", "PT1D", "P1H", "PT1.5H", "PT0.0000000001S", "P999999999D"} {
		if _, err := value.ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) succeeded", bad)
		}
	}
}

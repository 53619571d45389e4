package fn

import (
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

type strCase struct {
	name string
	f    func() (any, error)
	want any
	err  string
}

func runStrCases(t *testing.T, cases []strCase) {
	t.Helper()
	for _, tc := range cases {
		got, err := tc.f()
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: err = %v, want containing %q", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: unexpected error %v", tc.name, err)
			continue
		}
		if !same(got, tc.want) {
			t.Errorf("%s: got %s, want %s", tc.name, describe(got), describe(tc.want))
		}
	}
}

func TestStringSteps(t *testing.T) {
	ws := []string{"  feature  ", " one test ", "", " ", "\u3000abc", "abc\u3000", "\u3000abc\u3000", "\u3000\u3000"}
	trimmed := []string{"feature", "one test", "", "", "abc", "abc", "abc", ""}
	ltrimmed := []string{"feature  ", "one test ", "", "", "abc", "abc\u3000", "abc\u3000", ""}
	rtrimmed := []string{"  feature", " one test", "", "", "\u3000abc", "abc", "\u3000abc", ""}
	var cases []strCase
	for i, s := range ws {
		cases = append(cases,
			strCase{"trim " + s, func() (any, error) { return Trim(s) }, trimmed[i], ""},
			strCase{"lTrim " + s, func() (any, error) { return LTrim(s) }, ltrimmed[i], ""},
			strCase{"rTrim " + s, func() (any, error) { return RTrim(s) }, rtrimmed[i], ""},
		)
	}
	cases = append(cases, []strCase{
		{"trim nil", func() (any, error) { return Trim(nil) }, nil, ""},
		{"trim list", func() (any, error) { return Trim(l("a", "b")) }, nil, "The trim() step can only take string as argument"},
		{"lTrim list", func() (any, error) { return LTrim(l("a")) }, nil, "The lTrim() step can only take string as argument"},
		{"concat c", func() (any, error) { return Concat("a", "c") }, "ac", ""},
		{"concat c d", func() (any, error) { return Concat("b", "c", "d") }, "bcd", ""},
		{"concat none", func() (any, error) { return Concat("a") }, "a", ""},
		{"concat null", func() (any, error) { return Concat(nil) }, nil, ""},
		{"concat null,null,b", func() (any, error) { return Concat(nil, nil, "b") }, "b", ""},
		{"concat a,null,b", func() (any, error) { return Concat("a", nil, "b") }, "ab", ""},
		{"concat list", func() (any, error) { return Concat(l("a", "b"), "d") }, nil, "String concat() can only take string as argument"},
		{"concat int arg", func() (any, error) { return Concat("a", int32(1)) }, nil, "argument 0 is Integer"},
		{"split h", func() (any, error) { return Split("that", "h") }, l("t", "at"), ""},
		{"split h this", func() (any, error) { return Split("this", "h") }, l("t", "is"), ""},
		{"split no sep", func() (any, error) { return Split("test", "h") }, l("test"), ""},
		{"split null sep", func() (any, error) { return Split("hello world", nil) }, l("hello", "world"), ""},
		{"split null sep one", func() (any, error) { return Split("marko", nil) }, l("marko"), ""},
		{"split empty sep", func() (any, error) { return Split("that", "") }, l("t", "h", "a", "t"), ""},
		{"split adjacent", func() (any, error) { return Split("a,,b,", ",") }, l("a", "b"), ""},
		{"split a", func() (any, error) { return Split("vadas", "a") }, l("v", "d", "s"), ""},
		{"split nil", func() (any, error) { return Split(nil, "h") }, nil, ""},
		{"split list", func() (any, error) { return Split(l("a", "b"), "a") }, nil, "The split() step can only take string as argument"},
		{"replace", func() (any, error) { return Replace("that", "h", "j") }, "tjat", ""},
		{"replace none", func() (any, error) { return Replace("test", "h", "j") }, "test", ""},
		{"replace nil", func() (any, error) { return Replace(nil, "h", "j") }, nil, ""},
		{"replace null old", func() (any, error) { return Replace("lop", nil, "g") }, "lop", ""},
		{"replace p g", func() (any, error) { return Replace("ripple", "p", "g") }, "riggle", ""},
		{"replace list", func() (any, error) { return Replace(l("a"), "a", "b") }, nil, "The replace() step can only take string as argument"},
		{"toUpper", func() (any, error) { return ToUpper("tESt") }, "TEST", ""},
		{"toLower", func() (any, error) { return ToLower("tESt") }, "test", ""},
		{"toUpper nil", func() (any, error) { return ToUpper(nil) }, nil, ""},
		{"toUpper list", func() (any, error) { return ToUpper(l("a")) }, nil, "The toUpper() step can only take string as argument"},
		{"toLower list", func() (any, error) { return ToLower(int32(1)) }, nil, "The toLower() step"},
		{"length", func() (any, error) { return Length("feature") }, int32(7), ""},
		{"length utf16", func() (any, error) { return Length("a😀") }, int32(3), ""},
		{"length nil", func() (any, error) { return Length(nil) }, nil, ""},
		{"length list", func() (any, error) { return Length(l("a")) }, nil, "The length() step can only take string as argument"},
		{"substring 1,8 test", func() (any, error) { return Substring("test", 1, 8, true) }, "est", ""},
		{"substring 1,8 hello world", func() (any, error) { return Substring("hello world", 1, 8, true) }, "ello wo", ""},
		{"substring nil", func() (any, error) { return Substring(nil, 1, 8, true) }, nil, ""},
		{"substring list", func() (any, error) { return Substring(l("aa"), 1, 2, true) }, nil, "The substring() step can only take string as argument"},
		{"substring 2 lop", func() (any, error) { return Substring("lop", 2, 0, false) }, "p", ""},
		{"substring 2 ripple", func() (any, error) { return Substring("ripple", 2, 0, false) }, "pple", ""},
		{"substring 1,4", func() (any, error) { return Substring("ripple", 1, 4, true) }, "ipp", ""},
		{"substring 1,0", func() (any, error) { return Substring("lop", 1, 0, true) }, "", ""},
		{"substring -3", func() (any, error) { return Substring("marko", -3, 0, false) }, "rko", ""},
		{"substring 1,-1 lop", func() (any, error) { return Substring("lop", 1, -1, true) }, "o", ""},
		{"substring 1,-1 ripple", func() (any, error) { return Substring("ripple", 1, -1, true) }, "ippl", ""},
		{"substring -4,2 lop", func() (any, error) { return Substring("lop", -4, 2, true) }, "lo", ""},
		{"substring -4,2 ripple", func() (any, error) { return Substring("ripple", -4, 2, true) }, "", ""},
		{"substring -3,-1 lop", func() (any, error) { return Substring("lop", -3, -1, true) }, "lo", ""},
		{"substring -3,-1 ripple", func() (any, error) { return Substring("ripple", -3, -1, true) }, "pl", ""},
		{"reverse", func() (any, error) { return Reverse("test one") }, "eno tset", ""},
		{"reverse nil", func() (any, error) { return Reverse(nil) }, nil, ""},
		{"reverse number", func() (any, error) { return Reverse(int32(29)) }, int32(29), ""},
		{"reverse list", func() (any, error) { return Reverse(l(int32(3), "three")) }, l("three", int32(3)), ""},
		{"reverse path", func() (any, error) { return Reverse(&value.Path{Objects: l("marko", "lop")}) }, l("lop", "marko"), ""},
		{"reverse b", func() (any, error) { return Reverse("b") }, "b", ""},
		{"asString int", func() (any, error) { return AsString(int32(1)) }, "1", ""},
		{"asString list", func() (any, error) { return AsString(l(int32(1), int32(2))) }, "[1, 2]", ""},
		{"asString null", func() (any, error) { return AsString(nil) }, nil, "Can't parse"},
		{"asString map", func() (any, error) { return AsString(m("name", l("marko"))) }, "{name=[marko]}", ""},
		{"asString vertex", func() (any, error) { return AsString(v(int64(1))) }, "v[1]", ""},
	}...)
	runStrCases(t, cases)
}

func TestJavaString(t *testing.T) {
	e := &value.Edge{ID: int64(7), Label: "knows", OutV: v(int64(1)), InV: v(int64(2))}
	tests := []struct {
		in   any
		want string
	}{
		{nil, "null"},
		{int32(29), "29"},
		{int8(-3), "-3"},
		{1.0, "1.0"},
		{0.5, "0.5"},
		{-0.4, "-0.4"},
		{100.0, "100.0"},
		{1e7, "1.0E7"},
		{1.5e10, "1.5E10"},
		{0.001, "0.001"},
		{0.0001, "1.0E-4"},
		{123456.789, "123456.789"},
		{math.NaN(), "NaN"},
		{math.Inf(1), "Infinity"},
		{math.Inf(-1), "-Infinity"},
		{math.Copysign(0, -1), "-0.0"},
		{float32(5.75), "5.75"},
		{float32(0.1), "0.1"},
		{bi("123456789012345678901234567890"), "123456789012345678901234567890"},
		{bd("1.50"), "1.50"},
		{true, "true"},
		{value.Char('x'), "x"},
		{uuid.MustParse("6100808b-62f9-42b7-957e-ed66c30f40d1"), "6100808b-62f9-42b7-957e-ed66c30f40d1"},
		{time.Date(2023, 8, 2, 0, 0, 0, 0, time.UTC), "2023-08-02T00:00Z"},
		{time.Date(2023, 8, 2, 10, 15, 30, 0, time.UTC), "2023-08-02T10:15:30Z"},
		{time.Date(2023, 8, 2, 10, 15, 30, 5e8, time.FixedZone("", -7*3600)), "2023-08-02T10:15:30.500-07:00"},
		{time.Hour + 30*time.Minute, "PT1H30M"},
		{1500 * time.Millisecond, "PT1.5S"},
		{time.Duration(0), "PT0S"},
		{-1500 * time.Millisecond, "PT-1.5S"},
		{l("a", int32(1), nil), "[a, 1, null]"},
		{set("x", "y"), "[x, y]"},
		{m("a", int32(1), "b", l()), "{a=1, b=[]}"},
		{v(int64(1)), "v[1]"},
		{e, "e[7][1-knows->2]"},
		{&value.VertexProperty{ID: int64(0), Key: "name", Value: "marko"}, "vp[name->marko]"},
		{&value.VertexProperty{Key: "age", Value: int32(29)}, "vp[age->29]"},
		{&value.VertexProperty{Key: "k", Value: "abcdefghijklmnopqrstuvwxyz"}, "vp[k->abcdefghijklmnopq...]"},
		{&value.Property{Key: "weight", Value: 0.5}, "p[weight->0.5]"},
		{&value.Path{Objects: l(v(int64(1)), "lop")}, "path[v[1], lop]"},
		{value.Enum{Type: "T", Name: "id"}, "id"},
		{p("eq", int32(29)), "eq(29)"},
		{p("within", l(int32(1), int32(2))), "within([1, 2])"},
		{p("within", int32(1), int32(2)), "within([1, 2])"},
		{p("between", int32(1), int32(5)), "and(gte(1), lt(5))"},
		{p("outside", int32(1), int32(5)), "or(lt(1), gt(5))"},
		{bd("1E-10"), "1E-10"},
		{value.BigDecimal{Unscaled: bi("12"), Scale: -3}, "1.2E+4"},
		{-(3599*time.Second + 500*time.Millisecond), "PT-59M-59.5S"},
		{-(3600*time.Second + 500*time.Millisecond), "PT-1H-0.5S"},
		{time.Date(12023, 1, 2, 0, 0, 0, 0, time.UTC), "+12023-01-02T00:00Z"},
		{[]string{"a", "b"}, "[a, b]"},
		{value.MapEntry{Key: "a", Value: int32(1)}, "a=1"},
		{&value.BulkSet{Items: []value.BulkItem{{Value: "a", Bulk: 2}}}, "{a=2}"},
	}
	for _, tc := range tests {
		if got := ToJavaString(tc.in); got != tc.want {
			t.Errorf("ToJavaString(%T %v) = %q, want %q", tc.in, tc.in, got, tc.want)
		}
	}
}

func TestJavaStringUTCAsDate(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want string
	}{
		{time.Unix(0, 0).UTC(), "Thu Jan 01 00:00:00 UTC 1970"},
		{l(time.Unix(0, 0).UTC()), "[Thu Jan 01 00:00:00 UTC 1970]"},
		{time.Date(2023, 8, 8, 0, 0, 0, 0, time.FixedZone("", 0)), "2023-08-08T00:00Z"},
		{&value.VertexProperty{Key: "d", Value: time.Unix(0, 0).UTC()}, "vp[d->Thu Jan 01 00:00:...]"},
	} {
		if got := ToJavaStringUTCAsDate(tc.in); got != tc.want {
			t.Errorf("ToJavaStringUTCAsDate(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFormat(t *testing.T) {
	marko := map[string]any{"name": "marko", "age": int32(29)}
	lookup := func(vals map[string]any) func(string) (any, bool) {
		return func(k string) (any, bool) { x, ok := vals[k]; return x, ok }
	}
	tests := []struct {
		tmpl   string
		vars   map[string]any
		pos    []any
		want   string
		wantOK bool
	}{
		{"Hello world", marko, nil, "Hello world", true},
		{"%{name} is %{age} years old", marko, nil, "marko is 29 years old", true},
		{"%{name} is %{age} years old", map[string]any{"name": "lop"}, nil, "", false},
		{"%{name} is %{age} years old", map[string]any{"name": "lop", "age": nil}, nil, "", false},
		{"%{_} is %{_} years old", nil, l("marko", int32(29)), "marko is 29 years old", true},
		{"%{_} %{_} %{_}", nil, l("hello", "marko"), "hello marko hello", true},
		{"%{_}", nil, l("hello", "marko"), "hello", true},
		{"%{name} has %{_} connections", marko, l(int64(3)), "marko has 3 connections", true},
		{"%{_}", map[string]any{"_": 1.0}, nil, "1.0", true},
		{"100%%{name}", marko, nil, "100%%{name}", true},
		{"%{name", marko, nil, "%{name", true},
		{"%{x} and %{y}", map[string]any{"x": l(int32(1)), "y": m("a", true)}, nil, "[1] and {a=true}", true},
	}
	for _, tc := range tests {
		got, ok, err := Format(tc.tmpl, lookup(tc.vars), tc.pos)
		mustNoErr(t, err)
		if ok != tc.wantOK || got != tc.want {
			t.Errorf("Format(%q) = %q,%v want %q,%v", tc.tmpl, got, ok, tc.want, tc.wantOK)
		}
	}
	names, n := FormatVariables("%{name} has %{_} of %{_} %{name} %{age} %%{no}")
	if strings.Join(names, ",") != "name,age" || n != 2 {
		t.Errorf("FormatVariables = %v %d", names, n)
	}
}

func TestAsNumber(t *testing.T) {
	d := time.UnixMilli(1596326400000).UTC()
	cases := []strCase{
		{"byte", func() (any, error) { return AsNumber(int8(5), "") }, int8(5), ""},
		{"short", func() (any, error) { return AsNumber(int16(5), "") }, int16(5), ""},
		{"int", func() (any, error) { return AsNumber(int32(5), "") }, int32(5), ""},
		{"long", func() (any, error) { return AsNumber(int64(5), "") }, int64(5), ""},
		{"bigint", func() (any, error) { return AsNumber(big.NewInt(5), "") }, big.NewInt(5), ""},
		{"double", func() (any, error) { return AsNumber(5.0, "") }, 5.0, ""},
		{"float", func() (any, error) { return AsNumber(float32(5.75), "") }, float32(5.75), ""},
		{"string int", func() (any, error) { return AsNumber("5", "") }, int32(5), ""},
		{"string long", func() (any, error) { return AsNumber("1596326400000", "") }, int64(1596326400000), ""},
		{"string bigint", func() (any, error) { return AsNumber("99999999999999999999", "") }, bi("99999999999999999999"), ""},
		{"string double", func() (any, error) { return AsNumber("5.5", "") }, 5.5, ""},
		{"string exp", func() (any, error) { return AsNumber("1e3", "") }, 1000.0, ""},
		{"string bigdecimal", func() (any, error) { return AsNumber("1.23456789012345678901", "") }, bd("1.23456789012345678901"), ""},
		{"string hex", func() (any, error) { return AsNumber("0x5", "") }, int32(5), ""},
		{"string spaces", func() (any, error) { return AsNumber(" 42 ", "") }, int32(42), ""},
		{"string negative", func() (any, error) { return AsNumber("-42", "") }, int32(-42), ""},
		{"string test", func() (any, error) { return AsNumber("test", "") }, nil, "Can't parse string 'test' as number."},
		{"list", func() (any, error) { return AsNumber(l(int32(1)), "") }, nil, "Can't parse type ArrayList as number."},
		{"bool", func() (any, error) { return AsNumber(true, "") }, nil, "Can't parse type Boolean as number."},
		{"5.43 INT", func() (any, error) { return AsNumber(5.43, "INT") }, int32(5), ""},
		{"5.67 INT", func() (any, error) { return AsNumber(5.67, "GType.INT") }, int32(5), ""},
		{"5 LONG", func() (any, error) { return AsNumber(int32(5), "LONG") }, int64(5), ""},
		{"12 BYTE", func() (any, error) { return AsNumber(int32(12), "byte") }, int8(12), ""},
		{"32768 SHORT", func() (any, error) { return AsNumber(int32(32768), "SHORT") }, nil, "Can't convert number of type Integer to Short due to overflow."},
		{"300 BYTE", func() (any, error) { return AsNumber(int32(300), "BYTE") }, nil, "Can't convert number of type Integer to Byte due to overflow."},
		{"VERTEX", func() (any, error) { return AsNumber(int32(32768), "VERTEX") }, nil, "asNumber() requires a numeric type token, got VERTEX"},
		{"'5' BYTE", func() (any, error) { return AsNumber("5", "BYTE") }, int8(5), ""},
		{"'1,000' BIGINT", func() (any, error) { return AsNumber("1,000", "BIGINT") }, nil, "Can't parse string '1,000' as number."},
		{"null INT", func() (any, error) { return AsNumber(nil, "INT") }, nil, ""},
		{"56.0 INT", func() (any, error) { return AsNumber(56.0, "INT") }, int32(56), ""},
		{"129.0 LONG", func() (any, error) { return AsNumber(129.0, "LONG") }, int64(129), ""},
		{"'29' DOUBLE", func() (any, error) { return AsNumber("29", "DOUBLE") }, 29.0, ""},
		{"15.0 BYTE", func() (any, error) { return AsNumber(15.0, "BYTE") }, int8(15), ""},
		{"date", func() (any, error) { return AsNumber(d, "") }, int64(1596326400000), ""},
		{"int BIGINT", func() (any, error) { return AsNumber(int32(7), "BIGINT") }, big.NewInt(7), ""},
		{"int BIGDECIMAL", func() (any, error) { return AsNumber(int32(7), "BIGDECIMAL") }, bd("7"), ""},
		{"double FLOAT", func() (any, error) { return AsNumber(2.5, "FLOAT") }, float32(2.5), ""},
		{"huge double FLOAT", func() (any, error) { return AsNumber(1e300, "FLOAT") }, nil, "Double to Float due to overflow"},
		{"NaN INT", func() (any, error) { return AsNumber(math.NaN(), "INT") }, nil, "overflow"},
		{"negative double INT", func() (any, error) { return AsNumber(-5.5, "INT") }, int32(-5), ""},
	}
	runStrCases(t, cases)
}

func TestAsBool(t *testing.T) {
	cases := []strCase{
		{"1", func() (any, error) { return AsBool(int32(1)) }, true, ""},
		{"3.14", func() (any, error) { return AsBool(3.14) }, true, ""},
		{"-1", func() (any, error) { return AsBool(int32(-1)) }, true, ""},
		{"0", func() (any, error) { return AsBool(int32(0)) }, false, ""},
		{"0L", func() (any, error) { return AsBool(int64(0)) }, false, ""},
		{"-0.0", func() (any, error) { return AsBool(math.Copysign(0, -1)) }, false, ""},
		{"NaN", func() (any, error) { return AsBool(math.NaN()) }, false, ""},
		{"bigint", func() (any, error) { return AsBool(big.NewInt(2)) }, true, ""},
		{"bigdecimal 0.0", func() (any, error) { return AsBool(bd("0.0")) }, false, ""},
		{"true", func() (any, error) { return AsBool(true) }, true, ""},
		{"false", func() (any, error) { return AsBool(false) }, false, ""},
		{"'true'", func() (any, error) { return AsBool("true") }, true, ""},
		{"'tRUe'", func() (any, error) { return AsBool("tRUe") }, true, ""},
		{"'FALSE'", func() (any, error) { return AsBool("FALSE") }, false, ""},
		{"null", func() (any, error) { return AsBool(nil) }, nil, "Can't parse null as Boolean."},
		{"hello", func() (any, error) { return AsBool("hello") }, nil, "Can't parse hello as Boolean."},
		{"list", func() (any, error) { return AsBool(l(int32(1), int32(2))) }, nil, "Can't parse"},
	}
	runStrCases(t, cases)
}

package graphio

import (
	"encoding/base64"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// Typed GraphSON v3 values, as they appear in property values and ids.
//
//	g:Int32 int32      g:Int64 int64      g:Float float32   g:Double float64
//	g:Date / g:Timestamp time.Time (UTC, from epoch milliseconds)
//	g:UUID uuid.UUID   g:List []any       g:Set *value.Set  g:Map *value.Map
//	g:Class value.Class                   g:T, g:Direction, … value.Enum
//	gx:Byte int8       gx:Int16 int16     gx:BigInteger *big.Int
//	gx:BigDecimal value.BigDecimal        gx:Char value.Char
//	gx:Duration time.Duration             gx:ByteBuffer []byte
//	gx:OffsetDateTime, gx:Instant time.Time
//
// Untyped JSON is read as GraphSON v1 would be: strings, booleans, null;
// integers as int32 when they fit, else int64, else *big.Int; other numbers
// as float64; arrays as []any and objects as *value.Map with string keys.

// valueError is a problem with one typed value at byte offset pos of the
// current line.
type valueError struct {
	pos int
	msg string
}

func (e *valueError) Error() string { return e.msg }

func verr(n *jnode, format string, args ...any) error {
	return &valueError{pos: n.pos, msg: fmt.Sprintf(format, args...)}
}

// DecodeValue decodes one typed GraphSON v3 value from its JSON text.
func DecodeValue(data []byte) (any, error) {
	n, err := parseJSON(data)
	if err != nil {
		if se, ok := err.(*jsonSyntaxError); ok {
			return nil, fmt.Errorf("graphio: invalid JSON at byte %d: %s", se.pos+1, se.msg)
		}
		return nil, err
	}
	v, err := decodeValue(n)
	if err != nil {
		if ve, ok := err.(*valueError); ok {
			return nil, fmt.Errorf("graphio: at byte %d: %s", ve.pos+1, ve.msg)
		}
		return nil, err
	}
	return v, nil
}

var enumTypes = map[string]bool{
	"T": true, "Direction": true, "Cardinality": true, "Column": true, "Order": true,
	"Pop": true, "Scope": true, "Operator": true, "Barrier": true, "Pick": true,
	"Merge": true, "DT": true, "GType": true,
}

func decodeValue(n *jnode) (any, error) {
	switch n.kind {
	case jNull:
		return nil, nil
	case jBool:
		return n.b, nil
	case jString:
		return n.s, nil
	case jNumber:
		return untypedNumber(n)
	case jArray:
		out := make([]any, len(n.arr))
		for i, e := range n.arr {
			v, err := decodeValue(e)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	}
	// Object.
	tn := n.get("@type")
	if tn == nil {
		m := value.NewMap()
		for i, k := range n.keys {
			v, err := decodeValue(n.vals[i])
			if err != nil {
				return nil, err
			}
			m.Put(k, v)
		}
		return m, nil
	}
	if tn.kind != jString {
		return nil, verr(tn, `"@type" must be a string, got %s`, tn.kind)
	}
	for _, k := range n.keys {
		if k != "@type" && k != "@value" {
			return nil, verr(n, "typed value %s has unexpected field %q (want only \"@type\" and \"@value\")", tn.s, k)
		}
	}
	vn := n.get("@value")
	if vn == nil {
		return nil, verr(n, `typed value %s has no "@value"`, tn.s)
	}
	return decodeTyped(tn.s, vn)
}

func untypedNumber(n *jnode) (any, error) {
	if !strings.ContainsAny(n.s, ".eE") {
		if i, err := strconv.ParseInt(n.s, 10, 64); err == nil {
			if i >= math.MinInt32 && i <= math.MaxInt32 {
				return int32(i), nil
			}
			return i, nil
		}
		b, ok := new(big.Int).SetString(n.s, 10)
		if !ok {
			return nil, verr(n, "invalid integer %s", n.s)
		}
		return b, nil
	}
	f, err := strconv.ParseFloat(n.s, 64)
	if err != nil {
		return nil, verr(n, "number %s is out of range for a double", n.s)
	}
	return f, nil
}

func wantKind(typ string, n *jnode, k jkind) error {
	if n.kind != k {
		return verr(n, "%s: expected a %s as \"@value\", got %s", typ, k, n.kind)
	}
	return nil
}

func decodeInt(typ string, n *jnode, bits int) (int64, error) {
	if err := wantKind(typ, n, jNumber); err != nil {
		return 0, err
	}
	i, err := strconv.ParseInt(n.s, 10, bits)
	if err != nil {
		if strings.ContainsAny(n.s, ".eE") {
			return 0, verr(n, "%s: expected an integer, got %s", typ, n.s)
		}
		return 0, verr(n, "%s: %s is out of range for a %d-bit integer", typ, n.s, bits)
	}
	return i, nil
}

func decodeFloat(typ string, n *jnode, bits int) (float64, error) {
	switch n.kind {
	case jString:
		switch n.s {
		case "NaN":
			return math.NaN(), nil
		case "Infinity":
			return math.Inf(1), nil
		case "-Infinity":
			return math.Inf(-1), nil
		}
		return 0, verr(n, "%s: expected a number, \"NaN\", \"Infinity\" or \"-Infinity\", got %q", typ, n.s)
	case jNumber:
		f, err := strconv.ParseFloat(n.s, bits)
		if err != nil {
			return 0, verr(n, "%s: %s is out of range", typ, n.s)
		}
		return f, nil
	}
	return 0, verr(n, "%s: expected a number as \"@value\", got %s", typ, n.kind)
}

func decodeTyped(typ string, n *jnode) (any, error) {
	switch typ {
	case "g:Int32":
		i, err := decodeInt(typ, n, 32)
		return int32(i), err
	case "g:Int64":
		return decodeInt(typ, n, 64)
	case "gx:Int16":
		i, err := decodeInt(typ, n, 16)
		return int16(i), err
	case "gx:Byte":
		i, err := decodeInt(typ, n, 8)
		return int8(i), err
	case "g:Float":
		f, err := decodeFloat(typ, n, 32)
		return float32(f), err
	case "g:Double":
		return decodeFloat(typ, n, 64)
	case "g:Date", "g:Timestamp":
		ms, err := decodeInt(typ, n, 64)
		if err != nil {
			return nil, err
		}
		return time.UnixMilli(ms).UTC(), nil
	case "g:UUID":
		if err := wantKind(typ, n, jString); err != nil {
			return nil, err
		}
		u, err := uuid.Parse(n.s)
		if err != nil {
			return nil, verr(n, "g:UUID: %q is not a UUID", n.s)
		}
		return u, nil
	case "g:List", "g:Set":
		if err := wantKind(typ, n, jArray); err != nil {
			return nil, err
		}
		items := make([]any, len(n.arr))
		for i, e := range n.arr {
			v, err := decodeValue(e)
			if err != nil {
				return nil, err
			}
			items[i] = v
		}
		if typ == "g:Set" {
			return value.NewSet(items...), nil
		}
		return items, nil
	case "g:Map":
		if err := wantKind(typ, n, jArray); err != nil {
			return nil, err
		}
		if len(n.arr)%2 != 0 {
			return nil, verr(n, "g:Map: expected an even number of entries (key, value, key, value…), got %d", len(n.arr))
		}
		m := value.NewMap()
		for i := 0; i < len(n.arr); i += 2 {
			k, err := decodeValue(n.arr[i])
			if err != nil {
				return nil, err
			}
			v, err := decodeValue(n.arr[i+1])
			if err != nil {
				return nil, err
			}
			m.Put(k, v)
		}
		return m, nil
	case "g:Class":
		if err := wantKind(typ, n, jString); err != nil {
			return nil, err
		}
		return value.Class(n.s), nil
	case "gx:BigInteger":
		if n.kind != jNumber && n.kind != jString {
			return nil, verr(n, "gx:BigInteger: expected a number as \"@value\", got %s", n.kind)
		}
		b, ok := new(big.Int).SetString(n.s, 10)
		if !ok {
			return nil, verr(n, "gx:BigInteger: %q is not an integer", n.s)
		}
		return b, nil
	case "gx:BigDecimal":
		if n.kind != jNumber && n.kind != jString {
			return nil, verr(n, "gx:BigDecimal: expected a number as \"@value\", got %s", n.kind)
		}
		d, err := value.ParseBigDecimal(n.s)
		if err != nil {
			return nil, verr(n, "gx:BigDecimal: %v", err)
		}
		return d, nil
	case "gx:Char":
		if err := wantKind(typ, n, jString); err != nil {
			return nil, err
		}
		if utf8.RuneCountInString(n.s) != 1 {
			return nil, verr(n, "gx:Char: expected a one-character string, got %q", n.s)
		}
		r, _ := utf8.DecodeRuneInString(n.s)
		return value.Char(r), nil
	case "gx:Duration":
		if err := wantKind(typ, n, jString); err != nil {
			return nil, err
		}
		d, err := value.ParseDuration(n.s)
		if err != nil {
			return nil, verr(n, "gx:Duration: %v", err)
		}
		return d, nil
	case "gx:ByteBuffer":
		if err := wantKind(typ, n, jString); err != nil {
			return nil, err
		}
		b, err := base64.StdEncoding.DecodeString(n.s)
		if err != nil {
			return nil, verr(n, "gx:ByteBuffer: invalid base64: %v", err)
		}
		return b, nil
	case "gx:OffsetDateTime", "gx:Instant", "gx:ZonedDateTime":
		if err := wantKind(typ, n, jString); err != nil {
			return nil, err
		}
		s := n.s
		if i := strings.IndexByte(s, '['); i > 0 && strings.HasSuffix(s, "]") {
			s = s[:i] // ZonedDateTime's "[Europe/Paris]" suffix
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, verr(n, "%s: %q is not an ISO-8601 date-time with offset", typ, n.s)
		}
		if typ == "gx:Instant" {
			t = t.UTC()
		}
		return t, nil
	}
	if name, ok := strings.CutPrefix(typ, "g:"); ok && enumTypes[name] {
		if err := wantKind(typ, n, jString); err != nil {
			return nil, err
		}
		return value.Enum{Type: name, Name: n.s}, nil
	}
	return nil, verr(n, "unsupported GraphSON type %q", typ)
}

// AppendValue appends v as typed GraphSON v3 JSON.
func AppendValue(b []byte, v any) ([]byte, error) {
	typed := func(typ string) []byte {
		b = append(b, `{"@type":"`...)
		b = append(b, typ...)
		return append(b, `","@value":`...)
	}
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case string:
		return appendJSONString(b, x), nil
	case int32:
		b = typed("g:Int32")
		return append(strconv.AppendInt(b, int64(x), 10), '}'), nil
	case int64:
		b = typed("g:Int64")
		return append(strconv.AppendInt(b, x, 10), '}'), nil
	case int:
		b = typed("g:Int64")
		return append(strconv.AppendInt(b, int64(x), 10), '}'), nil
	case int16:
		b = typed("gx:Int16")
		return append(strconv.AppendInt(b, int64(x), 10), '}'), nil
	case int8:
		b = typed("gx:Byte")
		return append(strconv.AppendInt(b, int64(x), 10), '}'), nil
	case uint8:
		b = typed("gx:Int16") // Gremlin has no unsigned byte; keep the value
		return append(strconv.AppendInt(b, int64(x), 10), '}'), nil
	case float32:
		b = typed("g:Float")
		return append(appendJSONFloat(b, float64(x), 32), '}'), nil
	case float64:
		b = typed("g:Double")
		return append(appendJSONFloat(b, x, 64), '}'), nil
	case *big.Int:
		if x == nil {
			return append(b, "null"...), nil
		}
		b = typed("gx:BigInteger")
		return append(x.Append(b, 10), '}'), nil
	case value.BigDecimal:
		b = typed("gx:BigDecimal")
		return append(append(b, x.JavaString()...), '}'), nil
	case value.Char:
		b = typed("gx:Char")
		return append(appendJSONString(b, string(rune(x))), '}'), nil
	case uuid.UUID:
		b = typed("g:UUID")
		return append(appendJSONString(b, x.String()), '}'), nil
	case time.Time:
		if x.Location() == time.UTC && x.Nanosecond()%int(time.Millisecond) == 0 {
			b = typed("g:Date")
			return append(strconv.AppendInt(b, x.UnixMilli(), 10), '}'), nil
		}
		b = typed("gx:OffsetDateTime")
		return append(appendJSONString(b, x.Format(time.RFC3339Nano)), '}'), nil
	case time.Duration:
		b = typed("gx:Duration")
		return append(appendJSONString(b, value.FormatDuration(x)), '}'), nil
	case []byte:
		b = typed("gx:ByteBuffer")
		return append(appendJSONString(b, base64.StdEncoding.EncodeToString(x)), '}'), nil
	case []any:
		b = typed("g:List")
		return appendValueArray(b, x)
	case *value.Set:
		if x == nil {
			return append(b, "null"...), nil
		}
		b = typed("g:Set")
		return appendValueArray(b, x.Items())
	case *value.Map:
		if x == nil {
			return append(b, "null"...), nil
		}
		b = typed("g:Map")
		b = append(b, '[')
		for i, e := range x.Entries() {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = AppendValue(b, e.Key); err != nil {
				return b, err
			}
			b = append(b, ',')
			if b, err = AppendValue(b, e.Value); err != nil {
				return b, err
			}
		}
		return append(b, "]}"...), nil
	case value.Class:
		b = typed("g:Class")
		return append(appendJSONString(b, string(x)), '}'), nil
	case value.Enum:
		if !enumTypes[x.Type] {
			return b, fmt.Errorf("graphio: cannot write enum type %q as GraphSON", x.Type)
		}
		b = typed("g:" + x.Type)
		return append(appendJSONString(b, x.Name), '}'), nil
	}
	return b, fmt.Errorf("graphio: cannot write a %T as a GraphSON property value or id", v)
}

func appendValueArray(b []byte, items []any) ([]byte, error) {
	b = append(b, '[')
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = AppendValue(b, it); err != nil {
			return b, err
		}
	}
	return append(b, "]}"...), nil
}

// appendJSONFloat writes f so that parsing it back with the same bit size
// gives f exactly; integral values get ".0" as Java writes them, non-finite
// values the strings Jackson uses.
func appendJSONFloat(b []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, `"NaN"`...)
	case math.IsInf(f, 1):
		return append(b, `"Infinity"`...)
	case math.IsInf(f, -1):
		return append(b, `"-Infinity"`...)
	}
	return appendFloatText(b, f, bits)
}

// appendFloatText writes a finite float in shortest round-trip form, with
// ".0" on integral values below 1e21 ("1.0", "0.4", "1e+21").
func appendFloatText(b []byte, f float64, bits int) []byte {
	start := len(b)
	b = strconv.AppendFloat(b, f, 'g', -1, bits)
	if !strings.ContainsAny(string(b[start:]), ".eEn") {
		b = append(b, ".0"...)
	}
	return b
}

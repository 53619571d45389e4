package fn

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

func notStringErr(step string, v any) error {
	return fmt.Errorf("The %s() step can only take string as argument, encountered %s", step, describe(v))
}

func asString(v any) (any, error) {
	if v == nil {
		return nil, errors.New("asString(): Can't parse null as String.")
	}
	return javaString(v), nil
}

func concat(v any, args []any) (any, error) {
	if v != nil {
		if _, ok := v.(string); !ok {
			return nil, fmt.Errorf("String concat() can only take string as argument, encountered %s", describe(v))
		}
	}
	var sb strings.Builder
	got := false
	if v != nil {
		sb.WriteString(v.(string))
		got = true
	}
	for i, a := range args {
		if a == nil {
			continue
		}
		s, ok := a.(string)
		if !ok {
			return nil, fmt.Errorf("String concat() can only take string as argument, argument %d is %s", i, describe(a))
		}
		sb.WriteString(s)
		got = true
	}
	if !got {
		return nil, nil
	}
	return sb.String(), nil
}

func split(v any, sep any) (any, error) {
	if v == nil {
		return nil, nil
	}
	s, ok := v.(string)
	if !ok {
		return nil, notStringErr("split", v)
	}
	var parts []string
	switch x := sep.(type) {
	case nil:
		parts = strings.FieldsFunc(s, isJavaWhitespace)
	case string:
		if x == "" {
			for _, r := range s {
				parts = append(parts, string(r))
			}
		} else {
			for _, p := range strings.Split(s, x) {
				if p != "" { // adjacent separators count as one
					parts = append(parts, p)
				}
			}
		}
	default:
		return nil, fmt.Errorf("split(): separator must be a string or null, got %s", describe(sep))
	}
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out, nil
}

func replace(v any, oldS, newS any) (any, error) {
	if v == nil {
		return nil, nil
	}
	s, ok := v.(string)
	if !ok {
		return nil, notStringErr("replace", v)
	}
	if oldS == nil {
		return s, nil
	}
	o, ok := oldS.(string)
	if !ok {
		return nil, fmt.Errorf("replace(): expected a string to replace, got %s", describe(oldS))
	}
	n := ""
	if newS != nil {
		if n, ok = newS.(string); !ok {
			return nil, fmt.Errorf("replace(): expected a replacement string, got %s", describe(newS))
		}
	}
	return strings.ReplaceAll(s, o, n), nil
}

// isJavaWhitespace mirrors Character.isWhitespace: Unicode space
// separators (except non-breaking ones) and the ASCII/C0 whitespace.
func isJavaWhitespace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', 0x1C, 0x1D, 0x1E, 0x1F:
		return true
	case 0xA0, 0x2007, 0x202F:
		return false
	}
	return unicode.In(r, unicode.Zs, unicode.Zl, unicode.Zp)
}

func trim(v any, left, right bool, name string) (any, error) {
	if v == nil {
		return nil, nil
	}
	s, ok := v.(string)
	if !ok {
		return nil, notStringErr(name, v)
	}
	if left {
		s = strings.TrimLeftFunc(s, isJavaWhitespace)
	}
	if right {
		s = strings.TrimRightFunc(s, isJavaWhitespace)
	}
	return s, nil
}

func caseMap(v any, up bool) (any, error) {
	if v == nil {
		return nil, nil
	}
	s, ok := v.(string)
	if !ok {
		if up {
			return nil, notStringErr("toUpper", v)
		}
		return nil, notStringErr("toLower", v)
	}
	if up {
		return strings.ToUpper(s), nil
	}
	return strings.ToLower(s), nil
}

func length(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	s, ok := v.(string)
	if !ok {
		return nil, notStringErr("length", v)
	}
	return int32(len(utf16.Encode([]rune(s)))), nil
}

func substring(v any, start, end int64, hasEnd bool) (any, error) {
	if v == nil {
		return nil, nil
	}
	s, ok := v.(string)
	if !ok {
		return nil, notStringErr("substring", v)
	}
	r := []rune(s)
	n := int64(len(r))
	norm := func(i int64) int64 {
		if i < 0 {
			i += n
		}
		return min(max(i, 0), n)
	}
	b := norm(start)
	e := n
	if hasEnd {
		e = norm(end)
	}
	if e <= b {
		return "", nil
	}
	return string(r[b:e]), nil
}

func reverse(v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		r := []rune(x)
		slices.Reverse(r)
		return string(r), nil
	case []any:
		out := slices.Clone(x)
		slices.Reverse(out)
		return out, nil
	case *value.Set:
		out := slices.Clone(x.Items())
		slices.Reverse(out)
		return out, nil
	case *value.Path:
		out := slices.Clone(x.Objects)
		slices.Reverse(out)
		return out, nil
	}
	return v, nil
}

// ---------------------------------------------------------------------------
// format()

// scanFormat calls fn for every %{name} placeholder (not preceded by '%')
// with the byte offsets of the placeholder.
func scanFormat(t string, fn func(start, end int, name string) bool) {
	i := 0
	for i < len(t) {
		j := strings.Index(t[i:], "%{")
		if j < 0 {
			return
		}
		j += i
		if j > 0 && t[j-1] == '%' {
			i = j + 1
			continue
		}
		k := strings.IndexByte(t[j+2:], '}')
		if k < 0 {
			return
		}
		k += j + 2
		if !fn(j, k+1, t[j+2:k]) {
			return
		}
		i = k + 1
	}
}

// FormatVariables returns the distinct named variables of a format()
// template in first-use order (excluding "_"), and how many "%{_}"
// placeholders it holds.
func FormatVariables(template string) (names []string, underscores int) {
	seen := map[string]bool{}
	scanFormat(template, func(_, _ int, name string) bool {
		if name == "_" {
			underscores++
		} else if !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
		return true
	})
	return names, underscores
}

func format(t string, lookup func(string) (any, bool), positional []any) (string, bool, error) {
	var sb strings.Builder
	last := 0
	ok := true
	k := 0
	scanFormat(t, func(start, end int, name string) bool {
		var val any
		found := false
		if name == "_" && len(positional) > 0 {
			val, found = positional[k%len(positional)], true
			k++
		} else if lookup != nil {
			val, found = lookup(name)
		}
		if !found || val == nil {
			ok = false
			return false
		}
		sb.WriteString(t[last:start])
		sb.WriteString(javaString(val))
		last = end
		return true
	})
	if !ok {
		return "", false, nil
	}
	sb.WriteString(t[last:])
	return sb.String(), true, nil
}

// ---------------------------------------------------------------------------
// asNumber() / asBool()

// maxDecimalScale bounds the scale of a BigDecimal that asNumber()
// parses from a string (gremlin/lang bounds literals alike).
const maxDecimalScale = 10000

// parseNumber follows AsNumberStep.parseNumber: decimals become Double
// when the double represents them exactly, else BigDecimal; integers
// become Int, Long or BigInteger by size. "0x" prefixes are hexadecimal.
func parseNumber(s string) (any, error) {
	bad := fmt.Errorf("Can't parse string '%s' as number.", s)
	t := strings.TrimSpace(s)
	body, sign := t, ""
	if strings.HasPrefix(body, "-") || strings.HasPrefix(body, "+") {
		sign, body = body[:1], body[1:]
	}
	var bi *big.Int
	if len(body) > 2 && (body[:2] == "0x" || body[:2] == "0X") {
		b, ok := new(big.Int).SetString(body[2:], 16)
		if !ok {
			return nil, bad
		}
		if sign == "-" {
			b.Neg(b)
		}
		bi = b
	} else if strings.ContainsAny(t, ".eE") {
		if body == "" || strings.ContainsAny(body, "+-") && !strings.ContainsAny(body, "eE") {
			return nil, bad
		}
		d, err := value.ParseBigDecimal(t)
		if err != nil {
			return nil, bad
		}
		if d.Scale > maxDecimalScale || d.Scale < -maxDecimalScale {
			// Spelling out or computing with 1e999999999 takes minutes.
			return nil, fmt.Errorf("Can't parse string '%s' as number: its exponent puts it beyond the supported BigDecimal scale of ±%d.", s, maxDecimalScale)
		}
		f, _ := d.Rat().Float64()
		if !math.IsInf(f, 0) {
			if back, err := value.ParseBigDecimal(javaDouble(f)); err == nil && decCmp(back, d) == 0 {
				return f, nil
			}
		}
		return d, nil
	} else {
		if body == "" || strings.ContainsAny(body, "+-") {
			return nil, bad
		}
		b, ok := new(big.Int).SetString(t, 10)
		if !ok {
			return nil, bad
		}
		bi = b
	}
	switch {
	case bi.BitLen() <= 31:
		return int32(bi.Int64()), nil
	case bi.BitLen() <= 63:
		return bi.Int64(), nil
	}
	return bi, nil
}

var numTargets = map[string]numClass{
	"BYTE": cByte, "SHORT": cShort, "INT": cInt, "INTEGER": cInt, "LONG": cLong,
	"BIGINT": cBigInt, "BIGINTEGER": cBigInt, "FLOAT": cFloat, "DOUBLE": cDouble,
	"BIGDECIMAL": cBigDec,
}

func asNumber(v any, target string) (any, error) {
	tname := strings.ToUpper(strings.TrimPrefix(strings.TrimPrefix(target, "GType."), "N."))
	auto := tname == "" || tname == "N" || tname == "NUMBER"
	var cls numClass
	if !auto {
		c, ok := numTargets[tname]
		if !ok {
			return nil, fmt.Errorf("asNumber() requires a numeric type token, got %s", target)
		}
		cls = c
	}
	var n any
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		p, err := parseNumber(x)
		if err != nil {
			return nil, err
		}
		n = p
	case time.Time:
		n = x.UnixMilli()
	default:
		if !isNumber(v) {
			return nil, fmt.Errorf("Can't parse type %s as number.", gremlinTypeName(v))
		}
		n = v
	}
	if auto {
		return n, nil
	}
	return castNumber(n, cls)
}

// castNumber converts n to class c, failing when the value does not fit.
func castNumber(n any, c numClass) (any, error) {
	src, _ := classOf(n)
	if src == c {
		return n, nil
	}
	overflow := fmt.Errorf("Can't convert number of type %s to %s due to overflow.", src, c)
	switch c {
	case cByte, cShort, cInt, cLong:
		var lo, hi int64
		switch c {
		case cByte:
			lo, hi = math.MinInt8, math.MaxInt8
		case cShort:
			lo, hi = math.MinInt16, math.MaxInt16
		case cInt:
			lo, hi = math.MinInt32, math.MaxInt32
		default:
			lo, hi = math.MinInt64, math.MaxInt64
		}
		var x int64
		switch src {
		case cFloat, cDouble:
			f := math.Trunc(f64(n))
			if math.IsNaN(f) || f < float64(lo) || f >= -float64(lo) {
				return nil, overflow
			}
			x = int64(f)
		default:
			b := bigOf(n)
			if !b.IsInt64() {
				return nil, overflow
			}
			x = b.Int64()
		}
		if x < lo || x > hi {
			return nil, overflow
		}
		return castClass(x, c), nil
	case cFloat:
		f := f64(n)
		if !math.IsInf(f, 0) && !math.IsNaN(f) && math.Abs(f) > math.MaxFloat32 {
			return nil, overflow
		}
		return float32(f), nil
	case cDouble:
		f := f64(n)
		if math.IsInf(f, 0) && isInf(n) == 0 {
			return nil, overflow
		}
		return f, nil
	case cBigInt:
		if isNaN(n) || isInf(n) != 0 {
			return nil, overflow
		}
		if src == cFloat || src == cDouble {
			b, _ := new(big.Float).SetFloat64(math.Trunc(f64(n))).Int(nil)
			return b, nil
		}
		return new(big.Int).Set(bigOf(n)), nil
	}
	if isNaN(n) || isInf(n) != 0 {
		return nil, overflow
	}
	return decOf(n), nil
}

func asBool(v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, errors.New("Can't parse null as Boolean.")
	case bool:
		return x, nil
	case string:
		switch strings.ToLower(x) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, fmt.Errorf("Can't parse %s as Boolean.", x)
	}
	if isNumber(v) {
		if isNaN(v) {
			return false, nil
		}
		switch c, _ := classOf(v); c {
		case cBigInt:
			return bigOf(v).Sign() != 0, nil
		case cBigDec:
			return decOf(v).Unscaled.Sign() != 0, nil
		case cFloat, cDouble:
			return f64(v) != 0, nil
		}
		return i64(v) != 0, nil
	}
	return nil, fmt.Errorf("Can't parse %s as Boolean.", describe(v))
}

package value

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// The text forms of BigDecimal and Duration, as Java writes and reads them.
// GraphSON, the Gremlin language, GraphML files and the Console's toString
// forms all carry these; this is their one implementation.

// maxDecimalDigits bounds the digits ParseBigDecimal accepts, so that a
// hostile request cannot make it build an enormous integer.
const maxDecimalDigits = 10000

// ParseBigDecimal parses decimal text as Java's BigDecimal(String) does,
// keeping the scale: "12.50" has scale 2, "1.2E+3" scale -2.
func ParseBigDecimal(s string) (BigDecimal, error) {
	mant, exp := s, int64(0)
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.ParseInt(s[i+1:], 10, 32)
		if err != nil {
			return BigDecimal{}, fmt.Errorf("decimal %q has a bad exponent", s)
		}
		mant, exp = s[:i], e
	}
	scale := int64(0)
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		scale = int64(len(mant) - i - 1)
		mant = mant[:i] + mant[i+1:]
	}
	digits := strings.TrimLeft(mant, "+-")
	if digits == "" || len(mant)-len(digits) > 1 || strings.ContainsAny(digits, "+-") {
		return BigDecimal{}, fmt.Errorf("%q is not a decimal number such as 12.50 or 1.2E+3", s)
	}
	if len(digits) > maxDecimalDigits {
		return BigDecimal{}, fmt.Errorf("decimal with %d digits exceeds the limit of %d", len(digits), maxDecimalDigits)
	}
	n, ok := new(big.Int).SetString(mant, 10)
	if !ok {
		return BigDecimal{}, fmt.Errorf("%q is not a decimal number such as 12.50 or 1.2E+3", s)
	}
	scale -= exp
	if scale > math.MaxInt32 || scale < math.MinInt32 {
		return BigDecimal{}, fmt.Errorf("decimal %q has a scale out of range", s)
	}
	return BigDecimal{Unscaled: n, Scale: int32(scale)}, nil
}

// JavaString renders d as Java's BigDecimal.toString: plain digits, or
// scientific notation when the scale is negative or the adjusted exponent
// is below -6.
func (d BigDecimal) JavaString() string {
	if d.Unscaled == nil {
		return "0"
	}
	digits := new(big.Int).Abs(d.Unscaled).String()
	adjusted := -int64(d.Scale) + int64(len(digits)-1)
	if d.Scale >= 0 && adjusted >= -6 {
		return d.plain()
	}
	var sb strings.Builder
	if d.Unscaled.Sign() < 0 {
		sb.WriteByte('-')
	}
	sb.WriteString(digits[:1])
	if len(digits) > 1 {
		sb.WriteString("." + digits[1:])
	}
	sb.WriteByte('E')
	if adjusted >= 0 {
		sb.WriteByte('+')
	}
	sb.WriteString(strconv.FormatInt(adjusted, 10))
	return sb.String()
}

// ParseDuration parses an ISO-8601 duration as Java's Duration.parse does:
// [-]P[nD][T[nH][nM][n[.f]S]], each number optionally signed, letters in
// either case, '.' or ',' before the fraction of seconds.
func ParseDuration(s string) (time.Duration, error) {
	orig := s
	bad := func() (time.Duration, error) {
		return 0, fmt.Errorf("%q is not an ISO-8601 duration such as PT1H30M or PT0.5S", orig)
	}
	neg := false
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	} else if strings.HasPrefix(s, "+") {
		s = s[1:]
	}
	if len(s) < 2 || (s[0] != 'P' && s[0] != 'p') {
		return bad()
	}
	s = s[1:]
	total := new(big.Int)
	inTime, any := false, false
	for len(s) > 0 {
		if s[0] == 'T' || s[0] == 't' {
			if inTime || len(s) == 1 {
				return bad()
			}
			inTime, s = true, s[1:]
			continue
		}
		j := 0
		if s[j] == '-' || s[j] == '+' {
			j++
		}
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.' || s[j] == ',') {
			j++
		}
		if j == 0 || j >= len(s) {
			return bad()
		}
		num, unit := strings.Replace(s[:j], ",", ".", 1), s[j]
		s = s[j+1:]
		var mult int64
		switch {
		case !inTime && (unit == 'D' || unit == 'd'):
			mult = int64(24 * time.Hour)
		case inTime && (unit == 'H' || unit == 'h'):
			mult = int64(time.Hour)
		case inTime && (unit == 'M' || unit == 'm'):
			mult = int64(time.Minute)
		case inTime && (unit == 'S' || unit == 's'):
			mult = int64(time.Second)
		default:
			return bad()
		}
		if strings.Contains(num, ".") && mult != int64(time.Second) {
			return bad()
		}
		r, ok := new(big.Rat).SetString(num)
		if !ok {
			return bad()
		}
		r.Mul(r, new(big.Rat).SetInt64(mult))
		if !r.IsInt() {
			return 0, fmt.Errorf("%q has more precision than nanoseconds", orig)
		}
		total.Add(total, r.Num())
		any = true
	}
	if !any {
		return bad()
	}
	if neg {
		total.Neg(total)
	}
	if !total.IsInt64() {
		return 0, fmt.Errorf("%q is out of range (about ±292 years)", orig)
	}
	return time.Duration(total.Int64()), nil
}

// FormatDuration renders d as java.time.Duration.toString (PT8H6M12.345S,
// PT-0.5S), step for step: seconds floored with nanos kept in [0, 1e9), the
// hour/minute/second split taken from the seconds rounded toward zero.
func FormatDuration(d time.Duration) string {
	if d == 0 {
		return "PT0S"
	}
	seconds, nanos := int64(d/time.Second), int64(d%time.Second)
	if nanos < 0 {
		seconds--
		nanos += 1e9
	}
	eff := seconds
	if seconds < 0 && nanos > 0 {
		eff++
	}
	hours, minutes, secs := eff/3600, (eff%3600)/60, eff%60
	var sb strings.Builder
	sb.WriteString("PT")
	if hours != 0 {
		sb.WriteString(strconv.FormatInt(hours, 10) + "H")
	}
	if minutes != 0 {
		sb.WriteString(strconv.FormatInt(minutes, 10) + "M")
	}
	if secs == 0 && nanos == 0 && sb.Len() > 2 {
		return sb.String()
	}
	if seconds < 0 && nanos > 0 && secs == 0 {
		sb.WriteString("-0")
	} else {
		sb.WriteString(strconv.FormatInt(secs, 10))
	}
	if nanos > 0 {
		var frac string
		if seconds < 0 {
			frac = strconv.FormatInt(2e9-nanos, 10)
		} else {
			frac = strconv.FormatInt(nanos+1e9, 10)
		}
		frac = strings.TrimRight(frac, "0")
		sb.WriteString("." + frac[1:])
	}
	sb.WriteByte('S')
	return sb.String()
}

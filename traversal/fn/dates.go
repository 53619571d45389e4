package fn

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// utcOffset is the zero offset of an OffsetDateTime. A time.Time whose
// Location is exactly time.UTC stands for a java.util.Date on the wire
// (see gremlin/io), any other location for an OffsetDateTime.
var utcOffset = time.FixedZone("", 0)

// offsetDateTime returns t as an OffsetDateTime (same instant; a Date
// becomes the offset +00:00).
func offsetDateTime(t time.Time) time.Time {
	if t.Location() == time.UTC {
		return t.In(utcOffset)
	}
	return t
}

// asDate implements asDate(): since TinkerPop 3.8 it yields an
// OffsetDateTime (strings keep their offset, epoch milliseconds are UTC).
func asDate(v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, fmt.Errorf("Can't parse null as Date.")
	case time.Time:
		return offsetDateTime(x), nil
	case string:
		t, err := parseDateTime(x)
		if err != nil {
			return nil, err
		}
		return offsetDateTime(t), nil
	}
	if c, ok := classOf(v); ok {
		switch c {
		case cByte, cShort, cInt, cLong, cBigInt:
			ms, ok := toInt64(v)
			if !ok {
				return nil, fmt.Errorf("Can't parse %s as Date: epoch milliseconds out of range", javaString(v))
			}
			return time.UnixMilli(ms).In(utcOffset), nil
		}
		return nil, fmt.Errorf("Can't parse %s %s as Date: expected integral epoch milliseconds", gremlinTypeName(v), javaString(v))
	}
	return nil, fmt.Errorf("Can't parse %s as Date.", gremlinTypeName(v))
}

func dtUnit(unit string) (string, bool) {
	u := strings.ToLower(strings.TrimPrefix(unit, "DT."))
	switch u {
	case "second", "minute", "hour", "day":
		return u, true
	}
	return "", false
}

func dateAdd(d any, unit string, n int64) (any, error) {
	t, ok := d.(time.Time)
	if !ok {
		return nil, fmt.Errorf("dateAdd accept only Date, encountered %s", describe(d))
	}
	u, ok := dtUnit(unit)
	if !ok {
		return nil, fmt.Errorf("dateAdd: unknown DT unit %q, expected second, minute, hour or day", unit)
	}
	switch u {
	case "second":
		return t.Add(time.Duration(n) * time.Second), nil
	case "minute":
		return t.Add(time.Duration(n) * time.Minute), nil
	case "hour":
		return t.Add(time.Duration(n) * time.Hour), nil
	}
	return t.AddDate(0, 0, int(n)), nil
}

func dateDiff(d any, other any) (any, error) {
	t, ok := d.(time.Time)
	if !ok {
		return nil, fmt.Errorf("dateDiff accept only Date, encountered %s", describe(d))
	}
	var o int64
	switch x := other.(type) {
	case nil:
	case time.Time:
		o = x.UnixMilli()
	default:
		return nil, fmt.Errorf("dateDiff: argument must be a Date or null, encountered %s", describe(other))
	}
	return t.UnixMilli() - o, nil
}

// parseDateTime parses the forms DatetimeHelper.parse accepts:
// yyyy-MM, yyyy-MM-dd, and yyyy-MM-ddTHH:mm[:ss[.fraction]] with an
// optional offset Z, ±HH, ±HHMM, ±HH:MM, ±HHMMss or ±HH:MM:ss (UTC when
// absent). 'T' and 'Z' are case-insensitive.
func parseDateTime(s string) (time.Time, error) {
	fail := func(why string) (time.Time, error) {
		return time.Time{}, fmt.Errorf("Can't parse %q as Date: %s (expected ISO-8601 such as 2023-08-02T00:00:00Z)", s, why)
	}
	p := &dtParser{s: s}
	year, ok := p.num(4, 9)
	if !ok {
		return fail("bad year")
	}
	if !p.lit('-') {
		return fail("expected '-' after year")
	}
	month, ok := p.num(1, 2)
	if !ok || month < 1 || month > 12 {
		return fail("bad month")
	}
	if p.done() {
		return time.Date(year, time.Month(month), 1, 0, 0, 0, 0, time.UTC), nil
	}
	if !p.lit('-') {
		return fail("expected '-' after month")
	}
	day, ok := p.num(2, 2)
	if !ok || day < 1 || day > daysIn(year, month) {
		return fail("bad day")
	}
	if p.done() {
		return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC), nil
	}
	if !p.lit('T') && !p.lit('t') {
		return fail("expected 'T' before the time")
	}
	hour, ok := p.num(2, 2)
	if !ok || hour > 23 {
		return fail("bad hour")
	}
	if !p.lit(':') {
		return fail("expected ':' after hour")
	}
	minute, ok := p.num(2, 2)
	if !ok || minute > 59 {
		return fail("bad minute")
	}
	sec, nanos := 0, 0
	if p.lit(':') {
		if sec, ok = p.num(2, 2); !ok || sec > 59 {
			return fail("bad second")
		}
		if p.lit('.') {
			start := p.i
			for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
				p.i++
			}
			frac := p.s[start:p.i]
			if len(frac) == 0 || len(frac) > 9 {
				return fail("bad fraction of second")
			}
			nanos, _ = strconv.Atoi(frac + strings.Repeat("0", 9-len(frac)))
		}
	}
	loc := time.UTC
	if !p.done() {
		switch c := p.s[p.i]; c {
		case 'Z', 'z':
			p.i++
		case '+', '-':
			p.i++
			off, ok := p.offset()
			if !ok {
				return fail("bad offset")
			}
			if c == '-' {
				off = -off
			}
			if off != 0 {
				loc = time.FixedZone("", off)
			}
		default:
			return fail("unexpected text after the time")
		}
	}
	if !p.done() {
		return fail("unexpected trailing text")
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nanos, loc), nil
}

type dtParser struct {
	s string
	i int
}

func (p *dtParser) done() bool { return p.i >= len(p.s) }

func (p *dtParser) lit(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *dtParser) num(minD, maxD int) (int, bool) {
	start := p.i
	for p.i < len(p.s) && p.i-start < maxD && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
	}
	if p.i-start < minD {
		return 0, false
	}
	n, err := strconv.Atoi(p.s[start:p.i])
	return n, err == nil
}

// offset parses HH[[:]MM[[:]ss]] and returns seconds.
func (p *dtParser) offset() (int, bool) {
	h, ok := p.num(2, 2)
	if !ok || h > 18 {
		return 0, false
	}
	total := h * 3600
	if p.done() {
		return total, true
	}
	colon := p.lit(':')
	m, ok := p.num(2, 2)
	if !ok || m > 59 {
		return 0, false
	}
	total += m * 60
	if p.done() {
		return total, true
	}
	if colon && !p.lit(':') {
		return 0, false
	}
	sec, ok := p.num(2, 2)
	if !ok || sec > 59 {
		return 0, false
	}
	return total + sec, true
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

package fn

import (
	"strings"
	"testing"
	"time"
)

func TestParseDateTime(t *testing.T) {
	utc := func(y, mo, d, h, mi, s, ns int) time.Time {
		return time.Date(y, time.Month(mo), d, h, mi, s, ns, time.UTC)
	}
	tests := []struct {
		in   string
		want time.Time
		off  int // expected zone offset in seconds
	}{
		{"2018-03-22", utc(2018, 3, 22, 0, 0, 0, 0), 0},
		{"2018-03", utc(2018, 3, 1, 0, 0, 0, 0), 0},
		{"2018-03-22T00:35:44", utc(2018, 3, 22, 0, 35, 44, 0), 0},
		{"2018-03-22T00:35", utc(2018, 3, 22, 0, 35, 0, 0), 0},
		{"2018-03-22T00:35:44Z", utc(2018, 3, 22, 0, 35, 44, 0), 0},
		{"2018-03-22t00:35:44z", utc(2018, 3, 22, 0, 35, 44, 0), 0},
		{"2018-03-22T00:35:44.741", utc(2018, 3, 22, 0, 35, 44, 741e6), 0},
		{"2018-03-22T00:35:44.741Z", utc(2018, 3, 22, 0, 35, 44, 741e6), 0},
		{"2018-03-22T00:35:44.741+1600", utc(2018, 3, 21, 8, 35, 44, 741e6), 16 * 3600},
		{"2018-03-22T00:35:44.741+16:00", utc(2018, 3, 21, 8, 35, 44, 741e6), 16 * 3600},
		{"2018-03-22T00:35:44.741+160000", utc(2018, 3, 21, 8, 35, 44, 741e6), 16 * 3600},
		{"2018-03-22T00:35:44.741+16:00:00", utc(2018, 3, 21, 8, 35, 44, 741e6), 16 * 3600},
		{"2023-08-02T00:00:00-07:00", utc(2023, 8, 2, 7, 0, 0, 0), -7 * 3600},
		{"1970-01-01T00:00Z", utc(1970, 1, 1, 0, 0, 0, 0), 0},
		{"2023-08-02T00:00:00+00:00", utc(2023, 8, 2, 0, 0, 0, 0), 0},
	}
	for _, tc := range tests {
		got, err := ParseDateTime(tc.in)
		if err != nil {
			t.Errorf("ParseDateTime(%q): %v", tc.in, err)
			continue
		}
		if !got.Equal(tc.want) {
			t.Errorf("ParseDateTime(%q) = %v, want %v", tc.in, got, tc.want)
		}
		if _, off := got.Zone(); off != tc.off {
			t.Errorf("ParseDateTime(%q) offset %d, want %d", tc.in, off, tc.off)
		}
	}
	for _, bad := range []string{"", "This String is not an ISO 8601 Date", "2023-13-01", "2023-02-30", "2023-08-02T25:00", "2023-08-02T10:00:00X", "2023-08-02T10", "2023-08-02T10:00:00.", "2023-08-02 10:00"} {
		if _, err := ParseDateTime(bad); err == nil || !strings.Contains(err.Error(), "Can't parse") {
			t.Errorf("ParseDateTime(%q) err = %v", bad, err)
		}
	}
}

func TestAsDate(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{"2023-08-02T00:00:00Z", "2023-08-02T00:00Z"},
		{"2023-08-02T00:00:00-07:00", "2023-08-02T00:00-07:00"},
		{int64(1694017707000), "2023-09-06T16:28:27Z"},
		{int32(0), "1970-01-01T00:00Z"},
		{bi("1694017708000"), "2023-09-06T16:28:28Z"},
		{"2020-08-02", "2020-08-02T00:00Z"},
		{time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), "2020-01-01T00:00Z"},
	}
	for _, tc := range tests {
		got, err := AsDate(tc.in)
		if err != nil {
			t.Errorf("AsDate(%v): %v", tc.in, err)
			continue
		}
		if s := ToJavaString(got); s != tc.want {
			t.Errorf("AsDate(%v) = %s, want %s", tc.in, s, tc.want)
		}
	}
	for _, bad := range []any{1694017709000.1, l(int32(1), int32(2)), nil, "This String is not an ISO 8601 Date", true} {
		if _, err := AsDate(bad); err == nil || !strings.Contains(err.Error(), "Can't parse") {
			t.Errorf("AsDate(%v) err = %v", bad, err)
		}
	}
	// asDate().asNumber().asDate() round trip (AsDate.feature)
	d, _ := AsDate("2020-08-02")
	n, _ := AsNumber(d, "")
	back, _ := AsDate(n)
	if ToJavaString(back) != "2020-08-02T00:00Z" {
		t.Errorf("round trip = %s", ToJavaString(back))
	}
}

func TestDateAdd(t *testing.T) {
	base := time.Date(2023, 8, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		unit string
		n    int64
		want string
	}{
		{"DT.hour", 2, "2023-08-02T02:00Z"},
		{"hour", 2, "2023-08-02T02:00Z"},
		{"hour", -1, "2023-08-01T23:00Z"},
		{"minute", 10, "2023-08-02T00:10Z"},
		{"second", 20, "2023-08-02T00:00:20Z"},
		{"DAY", 11, "2023-08-13T00:00Z"},
		{"day", 30, "2023-09-01T00:00Z"},
	}
	for _, tc := range tests {
		got, err := DateAdd(base, tc.unit, tc.n)
		mustNoErr(t, err)
		if s := ToJavaString(got); s != tc.want {
			t.Errorf("dateAdd(%s, %d) = %s, want %s", tc.unit, tc.n, s, tc.want)
		}
	}
	if got, _ := DateAdd(time.Date(2023, 9, 6, 0, 0, 0, 0, time.UTC), "day", 11); ToJavaString(got) != "2023-09-17T00:00Z" {
		t.Errorf("sep 6 + 11 days = %s", ToJavaString(got))
	}
	if _, err := DateAdd("2023-08-02", "day", 1); err == nil || !strings.Contains(err.Error(), "dateAdd accept only Date") {
		t.Errorf("non-date err = %v", err)
	}
	if _, err := DateAdd(base, "week", 1); err == nil || !strings.Contains(err.Error(), "unknown DT unit") {
		t.Errorf("bad unit err = %v", err)
	}
}

func TestDateDiff(t *testing.T) {
	d := func(s string) time.Time { x, err := ParseDateTime(s); mustNoErr(t, err); return x }
	tests := []struct {
		a, b any
		want int64
	}{
		{d("2023-08-02T00:00:00Z"), d("2023-08-09T00:00:00Z"), -604800000},
		{d("2023-08-08T00:00:00Z"), d("2023-08-01T00:00:00Z"), 604800000},
		{d("2023-08-08T00:00:00Z"), d("2023-08-08T00:00:00Z"), 0},
		{time.UnixMilli(1596326400000), d("1970-01-01T00:00Z"), 1596326400000},
		{time.UnixMilli(1596326400000), nil, 1596326400000},
		{d("2023-08-02T00:00:00-07:00"), d("2023-08-02T07:00:00Z"), 0},
	}
	for _, tc := range tests {
		got, err := DateDiff(tc.a, tc.b)
		mustNoErr(t, err)
		if !same(got, tc.want) {
			t.Errorf("DateDiff(%v, %v) = %v, want %d", tc.a, tc.b, got, tc.want)
		}
	}
	if _, err := DateDiff(int32(1), nil); err == nil || !strings.Contains(err.Error(), "dateDiff accept only Date") {
		t.Errorf("err = %v", err)
	}
	if _, err := DateDiff(time.Now(), "x"); err == nil || !strings.Contains(err.Error(), "dateDiff: argument must be a Date") {
		t.Errorf("err = %v", err)
	}
}

// asDate yields an OffsetDateTime: never a time whose Location is
// time.UTC, which stands for a java.util.Date on the wire.
func TestAsDateIsOffsetDateTime(t *testing.T) {
	for _, in := range []any{"2023-08-02T00:00:00Z", "2023-08-02", int64(1694017707000), int32(0),
		time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)} {
		got, err := AsDate(in)
		if err != nil {
			t.Fatalf("AsDate(%v): %v", in, err)
		}
		tm := got.(time.Time)
		if _, off := tm.Zone(); tm.Location() == time.UTC || off != 0 {
			t.Errorf("AsDate(%v) = %v, want an OffsetDateTime at +00:00", in, tm)
		}
	}
	got, _ := AsDate(int64(1694017707000))
	if want := time.Date(2023, 9, 6, 16, 28, 27, 0, time.UTC); !got.(time.Time).Equal(want) {
		t.Errorf("AsDate(1694017707000) = %v, want %v", got, want)
	}
}

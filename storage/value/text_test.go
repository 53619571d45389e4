package value

import (
	"math/big"
	"testing"
	"time"
)

func TestBigDecimalText(t *testing.T) {
	for _, c := range []struct {
		in, java string
		scale    int32
	}{
		{"12.50", "12.50", 2},
		{"-12.50", "-12.50", 2},
		{"1.2E+3", "1.2E+3", -2},
		{"1.2e3", "1.2E+3", -2},
		{"1E-10", "1E-10", 10},
		{"0.0000001", "1E-7", 7},
		{"0.000001", "0.000001", 6},
		{"123E0", "123", 0},
		{"+5", "5", 0},
		{".5", "0.5", 1},
		{"1.", "1", 0},
		{"0", "0", 0},
	} {
		d, err := ParseBigDecimal(c.in)
		if err != nil {
			t.Errorf("ParseBigDecimal(%q): %v", c.in, err)
			continue
		}
		if d.Scale != c.scale || d.JavaString() != c.java {
			t.Errorf("ParseBigDecimal(%q) = scale %d %q, want scale %d %q", c.in, d.Scale, d.JavaString(), c.scale, c.java)
		}
	}
	for _, bad := range []string{"", ".", "-", "1E", "1E+-3", "1.2.3", "--1", "1-2", "abc", "1E99999999999"} {
		if _, err := ParseBigDecimal(bad); err == nil {
			t.Errorf("ParseBigDecimal(%q) succeeded", bad)
		}
	}
}

func TestDurationText(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		java string
	}{
		{0, "PT0S"},
		{-500 * time.Millisecond, "PT-0.5S"},
		{-1500 * time.Millisecond, "PT-1.5S"},
		{-90 * time.Second, "PT-1M-30S"},
		{25 * time.Hour, "PT25H"},
		{3661*time.Second + time.Millisecond, "PT1H1M1.001S"},
		{time.Nanosecond, "PT0.000000001S"},
	} {
		if got := FormatDuration(c.d); got != c.java {
			t.Errorf("FormatDuration(%v) = %q, want %q", c.d, got, c.java)
		}
		back, err := ParseDuration(c.java)
		if err != nil || back != c.d {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", c.java, back, err, c.d)
		}
	}
	for in, want := range map[string]time.Duration{
		"P2DT3H4M":  2*24*time.Hour + 3*time.Hour + 4*time.Minute,
		"PT-6H3M":   -6*time.Hour + 3*time.Minute,
		"-PT6H3M":   -6*time.Hour - 3*time.Minute,
		"pt0,5s":    500 * time.Millisecond,
		"PT20.345S": 20345 * time.Millisecond,
		"P-1D":      -24 * time.Hour,
	} {
		got, err := ParseDuration(in)
		if err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "P", "PT", "P1H", "PT1D", "PT1.5H", "1H", "PT0.0000000001S", "P1DT", "PTT1S", "P99999999999D"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) succeeded", bad)
		}
	}
}

func TestBigDecimalStringIsLinear(t *testing.T) {
	// A huge scale must neither take quadratic time nor spell out its
	// zeros: Java's toString switches to scientific notation.
	d := BigDecimal{Unscaled: big.NewInt(15), Scale: -2_000_000_000}
	if got := d.String(); got != "1.5E+2000000001" {
		t.Errorf("String() = %q", got)
	}
	d = BigDecimal{Unscaled: big.NewInt(-15), Scale: 2_000_000_000}
	if got := d.String(); got != "-1.5E-1999999999" {
		t.Errorf("String() = %q", got)
	}
}

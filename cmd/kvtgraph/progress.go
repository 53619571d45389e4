package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// progressBar draws the progress of a long command on stderr. On a
// terminal it redraws one line (at most every 100 ms); otherwise it
// prints a line at every tenth of the way, so logs stay short.
type progressBar struct {
	w       io.Writer
	tty     bool
	label   string
	total   int64 // the amount when done; 0 when unknown
	last    time.Time
	lastTen int64 // tenths printed (not a terminal)
	drawn   bool
}

const barWidth = 30

func newProgressBar(w io.Writer, label string, total int64) *progressBar {
	return &progressBar{w: w, tty: isTerminal(w), label: label, total: total, lastTen: -1}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// update shows done out of total, with detail ("120 vertices, 900 edges").
func (p *progressBar) update(done int64, detail string) {
	if p == nil {
		return
	}
	if p.total > 0 && done > p.total {
		done = p.total
	}
	if !p.tty {
		if p.total <= 0 {
			return
		}
		ten := done * 10 / p.total
		if ten == p.lastTen {
			return
		}
		p.lastTen = ten
		fmt.Fprintf(p.w, "%s %s\n", p.label, p.line(done, detail))
		return
	}
	now := time.Now()
	if p.drawn && now.Sub(p.last) < 100*time.Millisecond && done != p.total {
		return
	}
	p.last, p.drawn = now, true
	fmt.Fprintf(p.w, "\r%s %s\x1b[K", p.label, p.line(done, detail))
}

func (p *progressBar) line(done int64, detail string) string {
	if p.total <= 0 {
		return detail
	}
	filled := int(done * barWidth / p.total)
	pct := done * 100 / p.total
	return fmt.Sprintf("[%s%s] %3d%%  %s", strings.Repeat("#", filled), strings.Repeat("-", barWidth-filled), pct, detail)
}

// finish ends the bar's line on a terminal.
func (p *progressBar) finish() {
	if p != nil && p.tty && p.drawn {
		fmt.Fprintln(p.w)
	}
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n.Add(int64(n))
	return n, err
}

// lineCountingWriter counts the bytes and new lines written through it.
type lineCountingWriter struct {
	w      io.Writer
	bytes  int64
	lines  int64
	notify func(lines, bytes int64)
}

func (c *lineCountingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.bytes += int64(n)
	for _, x := range b[:n] {
		if x == '\n' {
			c.lines++
		}
	}
	if c.notify != nil {
		c.notify(c.lines, c.bytes)
	}
	return n, err
}

// thousands formats n with comma separators: 8049 → "8,049".
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// rate formats n per d: "6,700".
func rate(n int64, d time.Duration) string {
	if d <= 0 {
		d = time.Millisecond
	}
	return thousands(int64(float64(n) / d.Seconds()))
}

// roundDuration shows a duration with a precision that suits it.
func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= 10*time.Second:
		return d.Round(100 * time.Millisecond)
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}

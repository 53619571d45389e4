package fn

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// maxJavaDepth bounds how deep javaWriter descends into nested values;
// deeper collections print as "(this Collection)".
const maxJavaDepth = 256

// javaString renders v the way Java's toString (and TinkerPop's
// StringFactory) would, with every time.Time as an OffsetDateTime.
func javaString(v any) string {
	w := javaWriter{}
	w.write(v, 0)
	return w.sb.String()
}

// javaWriter renders values as Java's toString. utcDate selects the
// java.util.Date form for a time.Time in time.UTC (see
// ToJavaStringUTCAsDate).
type javaWriter struct {
	sb      strings.Builder
	utcDate bool
}

func (w *javaWriter) str(v any) string {
	sub := javaWriter{utcDate: w.utcDate}
	sub.write(v, 0)
	return sub.sb.String()
}

func (w *javaWriter) write(v any, depth int) {
	sb := &w.sb
	if depth > maxJavaDepth {
		sb.WriteString("(this Collection)")
		return
	}
	if v != nil && isNilPointer(v) {
		v = nil
	}
	if in, ok := v.(Internal); ok {
		v = in.PublicValue()
	}
	d := depth + 1
	switch x := v.(type) {
	case nil:
		sb.WriteString("null")
	case string:
		sb.WriteString(x)
	case bool:
		sb.WriteString(strconv.FormatBool(x))
	case int8:
		sb.WriteString(strconv.FormatInt(int64(x), 10))
	case uint8:
		sb.WriteString(strconv.FormatInt(int64(int8(x)), 10))
	case int16:
		sb.WriteString(strconv.FormatInt(int64(x), 10))
	case int32:
		sb.WriteString(strconv.FormatInt(int64(x), 10))
	case int64:
		sb.WriteString(strconv.FormatInt(x, 10))
	case int:
		sb.WriteString(strconv.Itoa(x))
	case float32:
		sb.WriteString(javaFloat(float64(x), 32))
	case float64:
		sb.WriteString(javaFloat(x, 64))
	case *big.Int:
		sb.WriteString(x.String())
	case value.BigDecimal:
		sb.WriteString(x.JavaString())
	case *value.BigDecimal:
		sb.WriteString(x.JavaString())
	case value.Char:
		sb.WriteRune(rune(x))
	case uuid.UUID:
		sb.WriteString(x.String())
	case time.Time:
		if w.utcDate && x.Location() == time.UTC {
			sb.WriteString(x.Format("Mon Jan 02 15:04:05 MST 2006"))
		} else {
			sb.WriteString(javaOffsetDateTime(x))
		}
	case time.Duration:
		sb.WriteString(value.FormatDuration(x))
	case []byte:
		fmt.Fprintf(sb, "java.nio.HeapByteBuffer[pos=0 lim=%d cap=%d]", len(x), len(x))
	case []any:
		w.seq(x, d)
	case []string:
		sb.WriteByte('[')
		sb.WriteString(strings.Join(x, ", "))
		sb.WriteByte(']')
	case *value.Set:
		w.seq(x.Items(), d)
	case *value.Map:
		sb.WriteByte('{')
		for i, e := range x.Entries() {
			if i > 0 {
				sb.WriteString(", ")
			}
			w.write(e.Key, d)
			sb.WriteByte('=')
			w.write(e.Value, d)
		}
		sb.WriteByte('}')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		sb.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString(k)
			sb.WriteByte('=')
			w.write(x[k], d)
		}
		sb.WriteByte('}')
	case value.MapEntry:
		w.write(x.Key, d)
		sb.WriteByte('=')
		w.write(x.Value, d)
	case *value.MapEntry:
		w.write(*x, depth)
	case *value.Vertex:
		sb.WriteString("v[")
		w.write(x.ID, d)
		sb.WriteByte(']')
	case *value.Edge:
		sb.WriteString("e[")
		w.write(x.ID, d)
		sb.WriteString("][")
		if x.OutV != nil {
			w.write(x.OutV.ID, d)
		}
		sb.WriteString("-" + x.Label + "->")
		if x.InV != nil {
			w.write(x.InV.ID, d)
		}
		sb.WriteByte(']')
	case *value.VertexProperty:
		sb.WriteString("vp[" + x.Key + "->" + abbreviate(w.str(x.Value), 20) + "]")
	case *value.Property:
		sb.WriteString("p[" + x.Key + "->" + abbreviate(w.str(x.Value), 20) + "]")
	case *value.Path:
		sb.WriteString("path")
		w.seq(x.Objects, d)
	case value.Enum:
		sb.WriteString(x.Name)
	case *value.P:
		w.p(x, d)
	case value.Traverser:
		w.write(x.Value, d)
	case *value.BulkSet:
		// BulkSet.toString is its backing map's: {value=bulk, ...}.
		sb.WriteByte('{')
		for i, it := range x.Items {
			if i > 0 {
				sb.WriteString(", ")
			}
			w.write(it.Value, d)
			sb.WriteString("=" + strconv.FormatInt(it.Bulk, 10))
		}
		sb.WriteByte('}')
	case *value.Tree:
		w.tree(x, d)
	case *value.Metrics:
		fmt.Fprintf(sb, "Metrics{id='%s', name='%s', counts=%s, durationNs=%d}", x.ID, x.Name, w.str(x.Counts), x.DurationNs)
	case *value.TraversalMetrics:
		writeJavaTraversalMetrics(sb, x)
	case *value.TraversalExplanation:
		writeJavaExplanation(sb, x)
	case value.Binding:
		sb.WriteString("binding[" + x.Key + "=")
		w.write(x.Value, d)
		sb.WriteByte(']')
	case value.Strategy:
		sb.WriteString(x.Class[strings.LastIndexByte(x.Class, '.')+1:])
	case value.Class:
		sb.WriteString("class " + string(x))
	case *value.Lambda:
		sb.WriteString(x.Script)
	case *value.Bytecode:
		sb.WriteByte('[')
		w.instructions(x.Sources, d)
		sb.WriteString(", ")
		w.instructions(x.Steps, d)
		sb.WriteByte(']')
	case fmt.Stringer:
		sb.WriteString(x.String())
	default:
		fmt.Fprint(sb, x)
	}
}

func isNilPointer(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

func (w *javaWriter) seq(items []any, depth int) {
	w.sb.WriteByte('[')
	for i, it := range items {
		if i > 0 {
			w.sb.WriteString(", ")
		}
		w.write(it, depth)
	}
	w.sb.WriteByte(']')
}

// tree prints a Tree as the HashMap it is in Java: {v[1]={v[2]={}}}.
func (w *javaWriter) tree(t *value.Tree, depth int) {
	w.sb.WriteByte('{')
	if t != nil && depth <= maxJavaDepth {
		for i, b := range t.Branches {
			if i > 0 {
				w.sb.WriteString(", ")
			}
			w.write(b.Key, depth)
			w.sb.WriteByte('=')
			w.tree(b.Tree, depth+1)
		}
	}
	w.sb.WriteByte('}')
}

func (w *javaWriter) instructions(ins []value.Instruction, depth int) {
	w.sb.WriteByte('[')
	for i, in := range ins {
		if i > 0 {
			w.sb.WriteString(", ")
		}
		w.sb.WriteString(in.Operator + "(")
		for j, a := range in.Args {
			if j > 0 {
				w.sb.WriteString(", ")
			}
			w.write(a, depth)
		}
		w.sb.WriteByte(')')
	}
	w.sb.WriteByte(']')
}

// p prints predicates as Java's P.toString does: op(value), with the
// collection for within/without (a single collection argument stands for
// its members, as P.within(Collection) takes it); between, inside and
// outside are and/or of two comparisons in Java.
func (w *javaWriter) p(p *value.P, depth int) {
	sb := &w.sb
	arg := func(i int) any {
		if i < len(p.Values) {
			return p.Values[i]
		}
		return nil
	}
	two := func(conn, op1, op2 string) {
		sb.WriteString(conn + "(" + op1 + "(")
		w.write(arg(0), depth)
		sb.WriteString("), " + op2 + "(")
		w.write(arg(1), depth)
		sb.WriteString("))")
	}
	switch p.Operator {
	case "between":
		two("and", "gte", "lt")
	case "inside":
		two("and", "gt", "lt")
	case "outside":
		two("or", "lt", "gt")
	case "within", "without":
		members := p.Values
		if len(members) == 1 {
			if items, ok := collectionItems(members[0]); ok {
				members = items
			}
		}
		sb.WriteString(p.Operator + "(")
		w.seq(members, depth)
		sb.WriteByte(')')
	case "and", "or":
		sb.WriteString(p.Operator + "(")
		for i, v := range p.Values {
			if i > 0 {
				sb.WriteString(", ")
			}
			w.write(v, depth)
		}
		sb.WriteByte(')')
	default:
		sb.WriteString(p.Operator)
		if len(p.Values) > 0 {
			sb.WriteByte('(')
			if len(p.Values) == 1 {
				w.write(p.Values[0], depth)
			} else {
				w.seq(p.Values, depth)
			}
			sb.WriteByte(')')
		}
	}
}

// abbreviate shortens s to width characters with a "..." marker, as
// Apache Commons' StringUtils.abbreviate does.
func abbreviate(s string, width int) string {
	if utf8.RuneCountInString(s) <= width {
		return s
	}
	r := []rune(s)
	return string(r[:width-3]) + "..."
}

func javaDouble(f float64) string { return javaFloat(f, 64) }

// javaFloat renders a float as Double.toString / Float.toString do:
// plain notation for 1e-3 <= |f| < 1e7, computerized scientific notation
// otherwise, always with at least one fractional digit.
func javaFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	if a := math.Abs(f); a >= 1e-3 && a < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, bits)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'e', -1, bits) // e.g. 1.2345e+07, 1e-05
	mant, exp, _ := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

// javaOffsetDateTime renders t as java.time.OffsetDateTime.toString.
func javaOffsetDateTime(t time.Time) string {
	var sb strings.Builder
	y := t.Year()
	if y > 9999 {
		sb.WriteByte('+')
	}
	if y < 0 {
		fmt.Fprintf(&sb, "-%04d", -y)
	} else {
		fmt.Fprintf(&sb, "%04d", y)
	}
	fmt.Fprintf(&sb, "-%02d-%02dT%02d:%02d", int(t.Month()), t.Day(), t.Hour(), t.Minute())
	if s, ns := t.Second(), t.Nanosecond(); s > 0 || ns > 0 {
		fmt.Fprintf(&sb, ":%02d", s)
		switch {
		case ns == 0:
		case ns%1e6 == 0:
			fmt.Fprintf(&sb, ".%03d", ns/1e6)
		case ns%1e3 == 0:
			fmt.Fprintf(&sb, ".%06d", ns/1e3)
		default:
			fmt.Fprintf(&sb, ".%09d", ns)
		}
	}
	_, off := t.Zone()
	if off == 0 {
		sb.WriteByte('Z')
		return sb.String()
	}
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	fmt.Fprintf(&sb, "%c%02d:%02d", sign, off/3600, off/60%60)
	if off%60 != 0 {
		fmt.Fprintf(&sb, ":%02d", off%60)
	}
	return sb.String()
}

// writeJavaTraversalMetrics prints the profile table of Java's
// DefaultTraversalMetrics.toString.
func writeJavaTraversalMetrics(sb *strings.Builder, tm *value.TraversalMetrics) {
	sb.WriteString("Traversal Metrics\n")
	fmt.Fprintf(sb, "%-50s %21s %11s %15s %8s", "Step", "Count", "Traversers", "Time (ms)", "% Dur")
	sb.WriteString("\n" + strings.Repeat("=", 109))
	var rows func(ms []*value.Metrics, indent int)
	rows = func(ms []*value.Metrics, indent int) {
		if indent > maxJavaDepth {
			return
		}
		for _, m := range ms {
			if m == nil {
				continue
			}
			name := abbreviate(strings.Repeat("  ", indent)+m.Name, 50)
			count := func(k string) int64 { n, _ := m.Counts.Get(k); c, _ := toInt64(n); return c }
			ms := float64(m.DurationNs/1000) / 1000.0
			fmt.Fprintf(sb, "\n%-50s %21d %11d %15.3f", name, count("elementCount"), count("traverserCount"), ms)
			if pd, ok := m.Annotations.Get("percentDur"); ok {
				if f, ok := pd.(float64); ok {
					fmt.Fprintf(sb, " %8.2f", f)
				}
			}
			rows(m.Nested, indent+1)
		}
	}
	rows(tm.Metrics, 0)
	fmt.Fprintf(sb, "\n%50s %21s %11s %15.3f %8s", ">TOTAL", "-", "-", float64(tm.DurationNs/1000)/1000.0, "-")
}

// writeJavaExplanation prints an explain() result in the layout of Java's
// TraversalExplanation.toString (columns padded to the longest name).
func writeJavaExplanation(sb *strings.Builder, x *value.TraversalExplanation) {
	const orig, fin = "Original Traversal", "Final Traversal"
	width := len(orig)
	for _, s := range x.Intermediate {
		width = max(width, len(s.Strategy))
	}
	header := "Traversal Explanation"
	steps := func(ss []string) string { return "[" + strings.Join(ss, ", ") + "]" }
	lines := []string{fmt.Sprintf("%-*s %s", width+6, orig, steps(x.Original)), ""}
	for _, s := range x.Intermediate {
		cat := "[?]"
		if s.Category != "" {
			cat = "[" + strings.ToUpper(s.Category[:1]) + "]"
		}
		lines = append(lines, fmt.Sprintf("%-*s %-5s %s", width, s.Strategy, cat, steps(s.Traversal)))
	}
	lines = append(lines, "", fmt.Sprintf("%-*s %s", width+6, fin, steps(x.Final)))
	longest := len(header)
	for _, l := range lines {
		longest = max(longest, len(l))
	}
	sb.WriteString(header + "\n" + strings.Repeat("=", longest) + "\n" + strings.Join(lines, "\n"))
}

package fn

import (
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// sameSet compares a *value.Set result with expected members, ignoring
// order (the features compare sets unordered).
func sameSet(got any, want ...any) bool {
	s, ok := got.(*value.Set)
	if !ok || s.Len() != len(want) {
		return false
	}
	for _, w := range want {
		if !s.Contains(w) {
			return false
		}
	}
	return true
}

func TestListSteps(t *testing.T) {
	names := l("marko", "vadas", "lop", "josh", "ripple", "peter")
	path := &value.Path{Objects: l("MARKO", "JOSH", "RIPPLE")}
	aNullB := l("a", nil, "b")

	// combine
	got, err := Combine(l(), names)
	mustNoErr(t, err)
	if !same(got, names) {
		t.Errorf("combine empty = %s", javaString(got))
	}
	got, _ = Combine(aNullB, l("a", nil, "c"))
	if !same(got, l("a", nil, "b", "a", nil, "c")) {
		t.Errorf("combine = %s", javaString(got))
	}
	got, _ = Combine(path, l("MARKO"))
	if !same(got, l("MARKO", "JOSH", "RIPPLE", "MARKO")) {
		t.Errorf("combine path = %s", javaString(got))
	}
	got, _ = Combine(l(int32(3), "three"), l("five", "three", int32(7)))
	if !same(got, l(int32(3), "three", "five", "three", int32(7))) {
		t.Errorf("combine mixed = %s", javaString(got))
	}

	// merge
	got, _ = Merge(aNullB, l("a", "c"))
	if !sameSet(got, nil, "a", "c", "b") {
		t.Errorf("merge = %s", javaString(got))
	}
	got, _ = Merge(l(int32(3), "three"), l("five", "three", int32(7)))
	if !sameSet(got, int32(3), "five", "three", int32(7)) {
		t.Errorf("merge mixed = %s", javaString(got))
	}
	got, _ = Merge(l(int32(35), int32(32)), l(int32(35), int32(27)))
	if !sameSet(got, int32(35), int32(32), int32(27)) {
		t.Errorf("merge ages = %s", javaString(got))
	}
	got, err = Merge(m("name", "marko"), m("other", "blueprint"))
	mustNoErr(t, err)
	if !same(got, m("name", "marko", "other", "blueprint")) {
		t.Errorf("merge maps = %s", javaString(got))
	}
	got, _ = Merge(m("name", "marko", "age", int32(29)), m("name", "lop", "lang", "java"))
	if !same(got, m("name", "lop", "age", int32(29), "lang", "java")) {
		t.Errorf("merge maps override = %s", javaString(got))
	}

	// product
	got, _ = Product(aNullB, l("a", "c"))
	want := l(l("a", "a"), l("a", "c"), l(nil, "a"), l(nil, "c"), l("b", "a"), l("b", "c"))
	if !same(got, want) {
		t.Errorf("product = %s", javaString(got))
	}
	got, _ = Product(l(), names)
	if !same(got, l()) {
		t.Errorf("empty product = %s", javaString(got))
	}

	// intersect
	got, _ = Intersect(aNullB, l("a", "c"))
	if !sameSet(got, "a") {
		t.Errorf("intersect = %s", javaString(got))
	}
	got, _ = Intersect(aNullB, l("a", nil, "c"))
	if !sameSet(got, "a", nil) {
		t.Errorf("intersect null = %s", javaString(got))
	}
	got, _ = Intersect(l(int32(3), "three"), l("five", "three", int32(7)))
	if !sameSet(got, "three") {
		t.Errorf("intersect mixed = %s", javaString(got))
	}
	got, _ = Intersect(l(int32(1)), l(int64(1))) // Java equality: Integer 1 != Long 1
	if !sameSet(got) {
		t.Errorf("intersect int/long = %s", javaString(got))
	}

	// difference
	got, _ = Difference(names, l())
	if !sameSet(got, names...) {
		t.Errorf("difference = %s", javaString(got))
	}
	got, _ = Difference(path, l("MARKO"))
	if !sameSet(got, "JOSH", "RIPPLE") {
		t.Errorf("difference path = %s", javaString(got))
	}
	got, _ = Difference(l(), names)
	if !sameSet(got) {
		t.Errorf("difference empty = %s", javaString(got))
	}

	// disjunct
	got, _ = Disjunct(aNullB, l("a", "c"))
	if !sameSet(got, nil, "b", "c") {
		t.Errorf("disjunct = %s", javaString(got))
	}
	got, _ = Disjunct(aNullB, l("a", nil, "c"))
	if !sameSet(got, "b", "c") {
		t.Errorf("disjunct null = %s", javaString(got))
	}
	got, _ = Disjunct(&value.Path{Objects: l("marko", "josh", "ripple")}, l("stephen", "marko"))
	if !sameSet(got, "stephen", "josh", "ripple") {
		t.Errorf("disjunct path = %s", javaString(got))
	}

	// conjoin
	conj := []struct {
		in    any
		delim string
		want  string
	}{
		{l(), ";", ""},
		{l("josh", "lop", "marko"), "_", "josh_lop_marko"},
		{l(int32(27), int32(29)), ";", "27;29"},
		{l("marko"), "-", "marko"},
		{aNullB, "xyz", "axyzb"},
		{l(int32(3), "three"), ";", "3;three"},
		{&value.Path{Objects: l("marko", "josh", "ripple")}, "", "markojoshripple"},
		{set("a", "b"), ",", "a,b"},
	}
	for _, c := range conj {
		got, err := Conjoin(c.in, c.delim)
		mustNoErr(t, err)
		if got != c.want {
			t.Errorf("Conjoin(%s, %q) = %v, want %q", javaString(c.in), c.delim, got, c.want)
		}
	}
}

func TestListStepErrors(t *testing.T) {
	steps := map[string]func(a, b any) (any, error){
		"combine": Combine, "merge": Merge, "product": Product,
		"intersect": Intersect, "difference": Difference, "disjunct": Disjunct,
	}
	for name, f := range steps {
		if _, err := f(nil, l(int32(1))); err == nil || !strings.Contains(err.Error(), "Incoming traverser for "+name+" step can't be null") {
			t.Errorf("%s(nil): %v", name, err)
		}
		if _, err := f("marko", l()); err == nil || !strings.Contains(err.Error(), name+" step can only take an array or an Iterable type for incoming traversers, encountered String") {
			t.Errorf("%s(string): %v", name, err)
		}
		if _, err := f(l("a"), int32(2)); err == nil || !strings.Contains(err.Error(), name+" step can only take an array or an Iterable as an argument, encountered Integer") {
			t.Errorf("%s(list, 2): %v", name, err)
		}
		if _, err := f(l("a"), nil); err == nil || !strings.Contains(err.Error(), "Argument provided for "+name+" step can't be null") {
			t.Errorf("%s(list, nil): %v", name, err)
		}
	}
	if _, err := Merge(l("a"), m("k", "v")); err == nil || !strings.Contains(err.Error(), "step type mismatch: expected argument to be Iterable but got Map") {
		t.Errorf("merge(list, map): %v", err)
	}
	if _, err := Merge(m("k", "v"), "a"); err == nil || !strings.Contains(err.Error(), "merge step expected provided argument to evaluate to a Map, encountered String") {
		t.Errorf("merge(map, string): %v", err)
	}
	if _, err := Conjoin(nil, "1"); err == nil || !strings.Contains(err.Error(), "Incoming traverser for conjoin step can't be null") {
		t.Errorf("conjoin(nil): %v", err)
	}
	if _, err := Conjoin("marko", "1"); err == nil || !strings.Contains(err.Error(), "conjoin step can only take an array or an Iterable type for incoming traversers, encountered String") {
		t.Errorf("conjoin(string): %v", err)
	}
	if items, ok := AsIterable(&value.BulkSet{Items: []value.BulkItem{{Value: "a", Bulk: 2}}}); !ok || len(items) != 2 {
		t.Errorf("AsIterable(bulkset) = %v %v", items, ok)
	}
	if _, ok := AsIterable(m()); ok {
		t.Error("maps are not iterable")
	}
}

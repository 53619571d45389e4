package traversal

import (
	"reflect"
	"testing"
)

// The expected values were printed by OpenJDK's java.util.Random and
// java.util.Collections.shuffle.
func TestJavaRandomMatchesJDK(t *testing.T) {
	r := newJavaRandom(42)
	if a, b := r.nextInt(), r.nextInt(); a != -1170105035 || b != 234785527 {
		t.Fatalf("nextInt: %d %d", a, b)
	}
	if d := r.nextDouble(); d != 0.6832234717598454 {
		t.Fatalf("nextDouble: %v", d)
	}
	if a, b := r.nextIntN(10), r.nextIntN(16); a != 0 || b != 15 {
		t.Fatalf("nextInt(bound): %d %d", a, b)
	}
	if l := r.nextLong(); l != 5111195811822994797 {
		t.Fatalf("nextLong: %d", l)
	}

	r = newJavaRandom(-7)
	want := []int32{577934662, 0, 445645583, 0, 119890471, 2, 829394584, 0, 184135245, 1}
	for i := 0; i < len(want); i += 2 {
		if a, b := r.nextIntN(1000000007), r.nextIntN(3); a != want[i] || b != want[i+1] {
			t.Fatalf("nextInt(bound) pair %d: %d %d", i/2, a, b)
		}
	}

	l := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	newJavaRandom(999999).shuffle(len(l), func(i, j int) { l[i], l[j] = l[j], l[i] })
	if !reflect.DeepEqual(l, []int{0, 1, 3, 4, 9, 5, 8, 6, 2, 7}) {
		t.Fatalf("shuffle: %v", l)
	}

	r = newJavaRandom(999999)
	for _, w := range []float64{0.37776208404219835, 0.7943445643820927, 0.8870080637032544} {
		if d := r.nextDouble(); d != w {
			t.Fatalf("nextDouble: %v, want %v", d, w)
		}
	}
}

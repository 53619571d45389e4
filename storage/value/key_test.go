package value

import "testing"

// Properties are equal (same Key) when key and value are, whatever element
// holds them; elements stay equal by id.
func TestPropertyKeyIgnoresElement(t *testing.T) {
	a := &Property{Key: "weight", Value: 0.4, Element: &Edge{ID: int32(9)}}
	b := &Property{Key: "weight", Value: 0.4, Element: &Edge{ID: int32(11)}}
	if Key(a) != Key(b) {
		t.Errorf("Key(%v) != Key(%v)", a, b)
	}
	if c := (&Property{Key: "weight", Value: 0.5}); Key(a) == Key(c) {
		t.Error("different values must differ")
	}
	if c := (&Property{Key: "w", Value: 0.4}); Key(a) == Key(c) {
		t.Error("different keys must differ")
	}
	if Key(&Vertex{ID: int32(1), Label: "a"}) != Key(&Vertex{ID: int32(1), Label: "b"}) {
		t.Error("vertices are equal by id")
	}
}

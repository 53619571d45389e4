package storage

// vertexLabels maps encoded vertex ids to label ids: the vertices a
// transaction knows to exist. Int64 ids, the common case, are keyed by the
// integer (cheaper to hash and compare than the encoded bytes): small
// non-negative ones with a label id below maxDenseLabel index a dense
// array of bytes (a bulk load of n vertices with ids 0..n-1 checks its
// edges' endpoints in n bytes, which stay in cache), the others a map;
// other ids are keyed by their encoding.
type vertexLabels struct {
	// dense[x] is 1 + the label of int64 id x, or 0 for an id that is not
	// there (absent, or in ints: an id in [0, len(dense)) lives in ints only
	// when its label is too large for a byte).
	dense []uint8
	ints  map[int64]uint32
	strs  map[string]uint32
	n     int
}

// newVertexLabels returns an empty set; its storage is made on first use.
func newVertexLabels() *vertexLabels { return &vertexLabels{} }

// minDense is the smallest dense array made.
const minDense = 1024

// maxDenseLabel bounds the label ids the dense array holds.
const maxDenseLabel = 255

// denseLimit is how far the dense array may reach with n entries: never
// more than a few bytes per entry beyond a small constant.
func denseLimit(n int) int64 { return 8*int64(n) + 1<<18 }

// intKey returns the int64 id encoded in k, when k is one.
func intKey(k []byte) (int64, bool) {
	if len(k) == 0 || intTagBase(k[0]) != idInt64 {
		return 0, false
	}
	x, n, err := decodeIntID(k, idInt64)
	if err != nil || n != len(k) {
		return 0, false
	}
	return x, true
}

func (m *vertexLabels) get(k []byte) (uint32, bool) {
	if x, ok := intKey(k); ok {
		if x >= 0 && x < int64(len(m.dense)) {
			if l := m.dense[x]; l != 0 {
				return uint32(l) - 1, true
			}
			if len(m.ints) == 0 {
				return 0, false
			}
		}
		l, ok := m.ints[x]
		return l, ok
	}
	l, ok := m.strs[string(k)]
	return l, ok
}

func (m *vertexLabels) has(k []byte) bool {
	_, ok := m.get(k)
	return ok
}

func (m *vertexLabels) put(k []byte, label uint32) {
	x, ok := intKey(k)
	if !ok {
		if m.strs == nil {
			m.strs = map[string]uint32{}
		}
		if _, had := m.strs[string(k)]; !had {
			m.n++
		}
		m.strs[string(k)] = label
		return
	}
	if label < maxDenseLabel {
		if x >= int64(len(m.dense)) && x < denseLimit(m.n+1) {
			m.grow(x)
		}
		if x >= 0 && x < int64(len(m.dense)) {
			if m.dense[x] == 0 {
				if _, had := m.ints[x]; had {
					delete(m.ints, x)
				} else {
					m.n++
				}
			}
			m.dense[x] = uint8(label + 1)
			return
		}
	} else if x >= 0 && x < int64(len(m.dense)) && m.dense[x] != 0 {
		m.dense[x] = 0
		m.n--
	}
	if m.ints == nil {
		m.ints = map[int64]uint32{}
	}
	if _, had := m.ints[x]; !had {
		m.n++
	}
	m.ints[x] = label
}

// grow extends the dense array over id x, moving the ids it now covers
// out of the map.
func (m *vertexLabels) grow(x int64) {
	size := max(2*int64(len(m.dense)), x+1, minDense)
	size = min(size, max(denseLimit(m.n+1), x+1))
	d := make([]uint8, size)
	copy(d, m.dense)
	for y, l := range m.ints {
		if y >= 0 && y < size && l < maxDenseLabel {
			d[y] = uint8(l + 1)
			delete(m.ints, y)
		}
	}
	m.dense = d
}

func (m *vertexLabels) del(k []byte) {
	x, ok := intKey(k)
	if !ok {
		if _, had := m.strs[string(k)]; had {
			m.n--
			delete(m.strs, string(k))
		}
		return
	}
	if x >= 0 && x < int64(len(m.dense)) && m.dense[x] != 0 {
		m.n--
		m.dense[x] = 0
		return
	}
	if _, had := m.ints[x]; had {
		m.n--
		delete(m.ints, x)
	}
}

func (m *vertexLabels) len() int { return m.n }

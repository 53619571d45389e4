package planner

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// CacheConfig bounds one graph's query cache.
type CacheConfig struct {
	// Disabled turns the cache off.
	Disabled bool
	// MaxEntries bounds the number of cached traversals (default 4096).
	MaxEntries int
	// MaxBytes bounds the estimated size of the cached results (default
	// 64 MiB). A result larger than a quarter of it is not cached.
	MaxBytes int64
}

const (
	defaultCacheEntries = 4096
	defaultCacheBytes   = 64 << 20
)

// CacheStats are a cache's counters.
type CacheStats struct {
	Hits, Misses, Evictions int64
	Entries                 int
	Bytes                   int64
}

// Cache is the LRU cache of one graph's read-only traversal results. An
// entry is keyed by the graph version it was computed at (the version
// read before the computing transaction began) and the normalized
// traversal; entries of an older version are never served, and the whole
// cache is dropped when the version moves. Safe for concurrent use.
type Cache struct {
	mu       sync.Mutex
	lru      *simplelru.LRU[string, *cacheEntry]
	version  uint64
	bytes    int64
	maxBytes int64

	hits, misses, evictions atomic.Int64
	purging                 bool // under mu: Purge's removals are not evictions
	// OnHit and OnMiss, when set, are called on each lookup (metrics).
	OnHit, OnMiss func()
	// OnEvict, when set, is called for each entry dropped to stay within
	// the bounds (not for entries dropped because the graph changed).
	// It runs with the cache locked: it must not call the cache.
	OnEvict func()
}

type cacheEntry struct {
	items []value.Traverser
	size  int64
}

// NewCache returns a cache, or nil when cfg disables it.
func NewCache(cfg CacheConfig) *Cache {
	if cfg.Disabled {
		return nil
	}
	if cfg.MaxEntries <= 0 {
		cfg.MaxEntries = defaultCacheEntries
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = defaultCacheBytes
	}
	c := &Cache{maxBytes: cfg.MaxBytes}
	c.lru, _ = simplelru.NewLRU[string, *cacheEntry](cfg.MaxEntries, func(_ string, e *cacheEntry) {
		c.bytes -= e.size
		if c.purging {
			return
		}
		c.evictions.Add(1)
		if c.OnEvict != nil {
			c.OnEvict()
		}
	})
	return c
}

// MaxResultBytes is the largest result the cache takes.
func (c *Cache) MaxResultBytes() int64 { return c.maxBytes / 4 }

// Get returns the results cached for key at version.
func (c *Cache) Get(version uint64, key string) ([]value.Traverser, bool) {
	c.mu.Lock()
	var e *cacheEntry
	ok := false
	if version == c.version {
		e, ok = c.lru.Get(key)
	}
	c.mu.Unlock()
	if ok {
		c.hits.Add(1)
		if c.OnHit != nil {
			c.OnHit()
		}
		return e.items, true
	}
	c.misses.Add(1)
	if c.OnMiss != nil {
		c.OnMiss()
	}
	return nil, false
}

// Put caches the results of key computed at version. Results of a version
// older than one already seen are dropped; a newer version drops every
// older entry.
func (c *Cache) Put(version uint64, key string, items []value.Traverser, size int64) {
	if size > c.MaxResultBytes() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if version < c.version {
		return
	}
	if version > c.version {
		c.purge()
		c.version = version
	}
	if old, ok := c.lru.Peek(key); ok {
		c.bytes -= old.size
	}
	c.lru.Add(key, &cacheEntry{items: items, size: size})
	c.bytes += size
	for c.bytes > c.maxBytes && c.lru.Len() > 0 {
		c.lru.RemoveOldest()
	}
}

func (c *Cache) purge() {
	c.purging = true
	c.lru.Purge() // a version change is not an eviction
	c.purging = false
	c.bytes = 0
}

// Stats returns the counters.
func (c *Cache) Stats() CacheStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(), Evictions: c.evictions.Load(),
		Entries: c.lru.Len(), Bytes: c.bytes}
}

// CacheKey normalizes a traversal into a cache key: every argument is
// written with its type, so g.V(1) and g.V(1L) differ and bindings are
// part of the key. ok is false for traversals whose results may differ
// between runs on the same data (sample, coin, shuffle, now).
func CacheKey(bc *value.Bytecode) (key string, ok bool) {
	var b strings.Builder
	if !writeBytecode(&b, bc, 0) {
		return "", false
	}
	return b.String(), true
}

// randomOps make a traversal's results vary between runs (profile() reports
// timings), so they are never cached.
var randomOps = map[string]bool{"sample": true, "coin": true, "call": true, "io": true, "read": true, "write": true,
	"profile": true}

func writeBytecode(b *strings.Builder, bc *value.Bytecode, depth int) bool {
	if bc == nil || depth > 64 {
		return bc == nil
	}
	for _, part := range [][]value.Instruction{bc.Sources, bc.Steps} {
		b.WriteByte('[')
		for _, in := range part {
			if randomOps[in.Operator] || (strings.EqualFold(in.Operator, "datetime") && len(in.Args) == 0) {
				return false
			}
			b.WriteString(in.Operator)
			b.WriteByte('(')
			for _, a := range in.Args {
				if !writeValue(b, a, depth+1) {
					return false
				}
				b.WriteByte(',')
			}
			b.WriteByte(')')
		}
		b.WriteByte(']')
	}
	return true
}

func writeValue(b *strings.Builder, v any, depth int) bool {
	if depth > 64 {
		return false
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("n")
	case string:
		b.WriteString("s" + strconv.Quote(x))
	case bool, int8, int16, int32, int64, float32, float64:
		fmt.Fprintf(b, "%T:%v", x, x)
	case value.Binding:
		return writeValue(b, x.Value, depth+1)
	case *value.Binding:
		if x == nil {
			b.WriteString("n")
			return true
		}
		return writeValue(b, x.Value, depth+1)
	case *value.Bytecode:
		b.WriteString("bc")
		return writeBytecode(b, x, depth+1)
	case *value.P:
		if x == nil {
			b.WriteString("n")
			return true
		}
		fmt.Fprintf(b, "P%t:%s(", x.Text, x.Operator)
		for _, e := range x.Values {
			if !writeValue(b, e, depth+1) {
				return false
			}
			b.WriteByte(',')
		}
		b.WriteByte(')')
	case value.Enum:
		if x.Name == "shuffle" {
			return false
		}
		b.WriteString("e" + x.Type + "." + x.Name)
	case []any:
		b.WriteString("l[")
		for _, e := range x {
			if !writeValue(b, e, depth+1) {
				return false
			}
			b.WriteByte(',')
		}
		b.WriteByte(']')
	case *value.Set:
		b.WriteString("set")
		return writeValue(b, x.Items(), depth+1)
	case *value.Map:
		b.WriteString("m{")
		for _, e := range x.Entries() {
			if !writeValue(b, e.Key, depth+1) {
				return false
			}
			b.WriteByte('=')
			if !writeValue(b, e.Value, depth+1) {
				return false
			}
			b.WriteByte(',')
		}
		b.WriteByte('}')
	case *value.Vertex:
		b.WriteString("v")
		return writeValue(b, x.ID, depth+1)
	case *value.Edge:
		b.WriteString("ed")
		return writeValue(b, x.ID, depth+1)
	case value.Strategy:
		b.WriteString("S" + x.Class)
		if x.Config != nil {
			return writeValue(b, x.Config, depth+1)
		}
	case *value.Strategy:
		if x == nil {
			b.WriteString("n")
			return true
		}
		return writeValue(b, *x, depth+1)
	case *value.Lambda:
		return false
	case time.Time:
		b.WriteString("t" + x.UTC().Format(time.RFC3339Nano))
	case *big.Int:
		b.WriteString("bi" + x.String())
	default:
		fmt.Fprintf(b, "%T:%#v", v, v)
	}
	return true
}

// SizeOf estimates the memory a result holds, for the byte bound.
func SizeOf(items []value.Traverser) int64 {
	var n int64
	for _, t := range items {
		n += 16 + sizeOf(t.Value, 0)
	}
	return n
}

func sizeOf(v any, depth int) int64 {
	if depth > 32 {
		return 64
	}
	switch x := v.(type) {
	case nil:
		return 8
	case string:
		return 16 + int64(len(x))
	case []byte:
		return 24 + int64(len(x))
	case []any:
		n := int64(24)
		for _, e := range x {
			n += sizeOf(e, depth+1)
		}
		return n
	case *value.Set:
		return 24 + sizeOf(x.Items(), depth+1)
	case *value.Map:
		n := int64(48)
		for _, e := range x.Entries() {
			n += sizeOf(e.Key, depth+1) + sizeOf(e.Value, depth+1)
		}
		return n
	case *value.Vertex:
		n := int64(64) + sizeOf(x.ID, depth+1) + int64(len(x.Label))
		for _, p := range x.Properties {
			n += 48 + sizeOf(p.Value, depth+1) + int64(len(p.Key))
		}
		return n
	case *value.Edge:
		n := int64(96) + sizeOf(x.ID, depth+1) + int64(len(x.Label))
		for _, p := range x.Properties {
			n += 32 + sizeOf(p.Value, depth+1) + int64(len(p.Key))
		}
		return n
	case *value.Path:
		n := int64(48)
		for _, o := range x.Objects {
			n += sizeOf(o, depth+1)
		}
		for _, ls := range x.Labels {
			n += 24 + int64(len(ls))*16
		}
		return n
	}
	return 32
}

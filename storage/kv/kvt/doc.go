// Package kvt adapts the native KVT engine (package native) to the
// storage/kv interface, so the graph layer runs on KVT without depending on
// anything KVT-specific.
//
// Every kv operation maps to one native call: a Get, MultiGet or Scan page
// crosses cgo once; writes are buffered by native in Go memory and cross at
// commit (or with the next read that needs them).
//
// Ownership: byte slices returned by Get, MultiGet and Scan are copies the
// caller owns (a Scan page's keys and values share one allocation per
// page). Slices passed in may be reused as soon as a call returns.
//
// KVT transactions are serializable by default, so LockKeys is a no-op for
// them; a snapshot-isolation transaction rewrites each present key with its
// current value so that a concurrent writer conflicts with it.
package kvt

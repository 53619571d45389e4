// Package kvtest is the conformance suite every kv.Store implementation
// must pass: Run(t, open) exercises each operation, its error paths, paging,
// reverse scans, read-your-writes, versions and conflict detection.
//
// open must return a fresh, empty store for each call; the suite closes it.
package kvtest

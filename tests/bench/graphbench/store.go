package main

import (
	"fmt"
	"sort"

	"github.com/kvtgraph/kvtgraph/storage/kv"
	"github.com/kvtgraph/kvtgraph/storage/kv/memkv"
)

// stores maps -store names to openers. The KVT adapter (storage/kv/kvt)
// registers itself here as "kvt" once it exists; memkv is only a smoke
// test of this program, not a benchmark target.
var stores = map[string]func() (kv.Store, func(), error){
	"memkv": func() (kv.Store, func(), error) {
		s := memkv.New(memkv.Options{PageSize: 1024})
		return s, func() { s.Close() }, nil
	},
}

func storeNames() []string {
	var out []string
	for n := range stores {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func openStore(name string) (kv.Store, func(), error) {
	open, ok := stores[name]
	if !ok {
		return nil, nil, fmt.Errorf("unknown -store %q (have %v; the KVT adapter storage/kv/kvt is wired in tests/bench/graphbench/store.go)", name, storeNames())
	}
	return open()
}

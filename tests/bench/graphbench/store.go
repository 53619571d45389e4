package main

import (
	"fmt"
	"sort"

	"github.com/kvtgraph/kvtgraph/native"
	"github.com/kvtgraph/kvtgraph/storage/kv"
	"github.com/kvtgraph/kvtgraph/storage/kv/kvt"
	"github.com/kvtgraph/kvtgraph/storage/kv/memkv"
)

// stores maps -store names to openers. "kvt" is the target (in-memory KVT:
// the benchmark measures the engine and the graph layer, not the disk);
// memkv is only a smoke test of this program.
var stores = map[string]func() (kv.Store, func(), error){
	"kvt": func() (kv.Store, func(), error) {
		s, err := kvt.Open("", native.Options{})
		if err != nil {
			return nil, nil, err
		}
		return s, func() { s.Close() }, nil
	},
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
		return nil, nil, fmt.Errorf("unknown -store %q (have %v)", name, storeNames())
	}
	return open()
}

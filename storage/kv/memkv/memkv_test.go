package memkv_test

import (
	"testing"

	"github.com/kvtgraph/kvtgraph/storage/kv"
	"github.com/kvtgraph/kvtgraph/storage/kv/kvtest"
	"github.com/kvtgraph/kvtgraph/storage/kv/memkv"
)

func TestConformance(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.Store { return memkv.New(memkv.Options{}) })
}

func TestConformanceSnapshot(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.Store { return memkv.New(memkv.Options{Isolation: kv.Snapshot}) })
}

func TestConformanceLimited(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.Store {
		return memkv.New(memkv.Options{MaxTxnOps: 50, MaxTxnBytes: 1 << 16, PageSize: 3})
	})
}

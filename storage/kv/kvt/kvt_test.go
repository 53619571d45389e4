package kvt_test

import (
	"testing"

	"github.com/kvtgraph/kvtgraph/native"
	"github.com/kvtgraph/kvtgraph/storage/kv"
	"github.com/kvtgraph/kvtgraph/storage/kv/kvt"
	"github.com/kvtgraph/kvtgraph/storage/kv/kvtest"
)

// The KV conformance suite, on KVT in memory and on disk.
func TestConformanceInMemory(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.Store {
		s, err := kvt.Open("", native.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestConformanceOnDisk(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.Store {
		s, err := kvt.Open(t.TempDir(), native.Options{Sync: native.SyncOff})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

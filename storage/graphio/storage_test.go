package graphio

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/kv/memkv"
)

// The same load, type and round-trip tests as against the fake, on the real
// storage layer over the in-memory KV store.

func memFactory(t testing.TB) storage.Store {
	g, err := storage.Open(memkv.New(memkv.Options{}), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close() })
	return g
}

func TestLoadSamplesStorage(t *testing.T)            { testLoadSamples(t, memFactory) }
func TestModernTypesStorage(t *testing.T)            { testModernTypes(t, memFactory) }
func TestCrewStorage(t *testing.T)                   { testCrew(t, memFactory) }
func TestSinkStorage(t *testing.T)                   { testSinkSelfLoops(t, memFactory) }
func TestGraphMLMatchesGraphSONStorage(t *testing.T) { testGraphMLMatchesGraphSON(t, memFactory) }
func TestRoundTripsStorage(t *testing.T)             { testRoundTrips(t, memFactory) }

// A KV store with a small transaction limit: Load splits its batches.
func TestStorageTxnLimit(t *testing.T) {
	g, err := storage.Open(memkv.New(memkv.Options{MaxTxnOps: 128}), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	st := loadSample(t, g, "grateful-dead.json", LoadOptions{})
	if st.Vertices != 808 || st.Edges != 8049 {
		t.Fatalf("%+v", st)
	}
	ref := memFactory(t)
	loadSample(t, ref, "grateful-dead.json", LoadOptions{})
	compareDumps(t, "limited store", dumpGraph(t, ref, dumpOpts{}), dumpGraph(t, g, dumpOpts{}))
}

// genericStore hides *storage.Graph's BulkLoad so that Load drives the
// transactions itself.
type genericStore struct{ storage.Store }

func TestStorageWithoutBulkLoad(t *testing.T) {
	g, err := storage.Open(memkv.New(memkv.Options{MaxTxnOps: 128}), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if _, ok := storage.Store(g).(bulkLoader); !ok {
		t.Fatal("*storage.Graph no longer has BulkLoad; update graphio's bulkLoader interface")
	}
	s := genericStore{g}
	st := loadSample(t, s, "grateful-dead.json", LoadOptions{})
	if st.Vertices != 808 || st.Edges != 8049 {
		t.Fatalf("%+v", st)
	}
	ref := memFactory(t)
	loadSample(t, ref, "grateful-dead.json", LoadOptions{})
	compareDumps(t, "generic path on a limited store", dumpGraph(t, ref, dumpOpts{}), dumpGraph(t, s, dumpOpts{}))
}

// Store errors in the bulk path name the line too.
func TestStorageErrorNamesLine(t *testing.T) {
	g := memFactory(t)
	loadSample(t, g, "tinkerpop-modern.json", LoadOptions{})
	_, err := Load(context.Background(), g, openSample(t, "tinkerpop-modern.json"), GraphSON, LoadOptions{Name: "again.json"})
	if !errors.Is(err, storage.ErrDuplicateID) || !strings.HasPrefix(err.Error(), "again.json:1: adding vertex 1 (int32)") {
		t.Errorf("err = %v", err)
	}
}

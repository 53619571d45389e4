package native

import (
	"errors"
	"fmt"
	"testing"
)

// TestGCBoundsLongReader checks the long-reader policy: a snapshot may lag at
// most MaxSnapshotLag commits; beyond that GC reclaims its versions and the
// snapshot's next read fails with ErrTxTooOld, so memory stays bounded.
func TestGCBoundsLongReader(t *testing.T) {
	db, err := Open("", Options{MaxSnapshotLag: 100, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tb := mustTable(t, db, "t", Range)
	for i := 0; i < 10; i++ {
		set(t, db, tb, string(k(i)), "v")
	}
	reader := begin(t, db, TxOptions{Isolation: SnapshotIsolation, ReadOnly: true})
	if _, err := reader.Get(tb, k(0)); err != nil {
		t.Fatal(err)
	}
	maxVersions := uint64(0)
	for n := 0; n < 2000; n++ {
		set(t, db, tb, string(k(n%10)), fmt.Sprint(n))
		if v := db.Stats().LiveVersions; v > maxVersions {
			maxVersions = v
		}
	}
	// 10 keys, at most ~100 commits of history kept: far below 2000.
	if maxVersions > 200 {
		t.Fatalf("versions grew to %d despite MaxSnapshotLag=100", maxVersions)
	}
	_, err = reader.Get(tb, k(0))
	if !errors.Is(err, ErrTxTooOld) || !IsRetryable(err) {
		t.Fatalf("old reader: %v", err)
	}
	if _, err := reader.Scan(tb, nil, nil, ScanOptions{}); !errors.Is(err, ErrTxTooOld) {
		t.Fatalf("old reader scan: %v", err)
	}
	reader.Rollback()
	// A too-old writer fails at commit.
	w := begin(t, db, TxOptions{})
	_ = w.Set(tb, []byte("w"), []byte("1"))
	for n := 0; n < 150; n++ {
		set(t, db, tb, string(k(n%10)), "x")
	}
	if err := w.Commit(); !errors.Is(err, ErrTxTooOld) {
		t.Fatalf("old writer commit: %v", err)
	}
	// View retries and succeeds with a fresh snapshot.
	if err := db.View(func(tx *Tx) error { _, err := tx.Get(tb, k(1)); return err }); err != nil {
		t.Fatal(err)
	}
}

// TestGCReclaimsAfterReaderEnds: without a lag limit an open snapshot keeps
// what it can see; once it ends, the sweep reclaims old versions and deleted
// keys.
func TestGCReclaimsAfterReaderEnds(t *testing.T) {
	db, err := Open("", Options{MaxSnapshotLag: NoSnapshotLagLimit, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tb := mustTable(t, db, "t", Range)
	for i := 0; i < 10; i++ {
		set(t, db, tb, string(k(i)), "v0")
	}
	reader := begin(t, db, TxOptions{Isolation: SnapshotIsolation, ReadOnly: true})
	for n := 0; n < 500; n++ {
		set(t, db, tb, string(k(n%10)), fmt.Sprint(n))
	}
	if v := db.Stats().LiveVersions; v < 500 {
		t.Fatalf("versions needed by the open reader were reclaimed: %d", v)
	}
	if v, err := reader.Get(tb, k(3)); err != nil || string(v) != "v0" {
		t.Fatalf("reader: %q %v", v, err)
	}
	reader.Rollback()
	if err := db.GC(); err != nil {
		t.Fatal(err)
	}
	if v := db.Stats().LiveVersions; v != 10 {
		t.Fatalf("after GC: %d versions, want 10", v)
	}
	_ = db.Update(func(tx *Tx) error {
		for i := 0; i < 10; i++ {
			_ = tx.Delete(tb, k(i))
		}
		return nil
	})
	_ = db.GC()
	if s := db.Stats(); s.LiveVersions != 0 || s.VersionBytes != 0 {
		t.Fatalf("deleted keys not reclaimed: %+v", s)
	}
	if n := countKeys(t, db, tb); n != 0 {
		t.Fatalf("keys: %d", n)
	}
}

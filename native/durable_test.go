package native

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// logBuffer is a goroutine-safe buffer for capturing engine log output.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func openDir(t testing.TB, dir string, o Options) *DB {
	t.Helper()
	if o.Logger == nil {
		o.Logger = quietLogger()
	}
	db, err := Open(dir, o)
	if err != nil {
		t.Fatalf("open %s: %v", dir, err)
	}
	return db
}

func segments(t testing.TB, dir string) []string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, "wal-*.log"))
	sort.Strings(m)
	return m
}

func TestReopenAndSyncModes(t *testing.T) {
	for _, mode := range []SyncMode{SyncAlways, SyncInterval, SyncOff} {
		t.Run(mode.String(), func(t *testing.T) {
			dir := t.TempDir()
			db := openDir(t, dir, Options{Sync: mode, SyncInterval: 2 * time.Millisecond})
			tb := mustTable(t, db, "t", Range)
			h := mustTable(t, db, "h", Hash)
			mustTable(t, db, "gone", Hash)
			for i := 0; i < 50; i++ {
				err := db.Update(func(tx *Tx) error {
					if err := tx.Set(tb, k(i), []byte(fmt.Sprint(i))); err != nil {
						return err
					}
					return tx.Set(h, k(i), []byte("h"))
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			_ = db.Update(func(tx *Tx) error { return tx.Delete(tb, k(7)) })
			if err := db.DropTable("gone"); err != nil {
				t.Fatal(err)
			}
			if err := db.Sync(); err != nil {
				t.Fatal(err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			db = openDir(t, dir, Options{Sync: mode})
			defer db.Close()
			if got := db.Tables(); len(got) != 2 || got[0].Name != "t" || got[1].Name != "h" || got[1].Method != Hash {
				t.Fatalf("tables after reopen: %+v", got)
			}
			for i := 0; i < 50; i++ {
				v, err := db.Get(tb, k(i))
				if i == 7 {
					if !errors.Is(err, ErrKeyNotFound) {
						t.Fatalf("deleted key survived: %v", err)
					}
					continue
				}
				if err != nil || string(v) != fmt.Sprint(i) {
					t.Fatalf("key %d after reopen: %q %v", i, v, err)
				}
			}
			if _, err := db.CreateTable("gone", Range); err != nil {
				t.Fatalf("recreate dropped table: %v", err)
			}
		})
	}
}

func TestDirectoryLock(t *testing.T) {
	dir := t.TempDir()
	db := openDir(t, dir, Options{})
	_, err := Open(dir, Options{Logger: quietLogger()})
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("second open: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openDir(t, dir, Options{})
	db.Close()
}

func TestFsyncFailureFences(t *testing.T) {
	dir := t.TempDir()
	db := openDir(t, dir, Options{})
	tb := mustTable(t, db, "t", Range)
	if err := db.Update(func(tx *Tx) error { return tx.Set(tb, []byte("a"), []byte("1")) }); err != nil {
		t.Fatal(err)
	}
	db.debugFailNextSync()
	err := db.Update(func(tx *Tx) error { return tx.Set(tb, []byte("b"), []byte("2")) })
	if !errors.Is(err, ErrIO) {
		t.Fatalf("commit with failing fsync: %v", err)
	}
	err = db.Update(func(tx *Tx) error { return tx.Set(tb, []byte("c"), []byte("3")) })
	if !errors.Is(err, ErrFenced) || !strings.Contains(err.Error(), "reopen") {
		t.Fatalf("commit after fsync failure: %v", err)
	}
	if _, err := db.CreateTable("x", Hash); !errors.Is(err, ErrFenced) {
		t.Fatalf("ddl after fsync failure: %v", err)
	}
	if err := db.Checkpoint(); !errors.Is(err, ErrFenced) {
		t.Fatalf("checkpoint after fsync failure: %v", err)
	}
	// Reads still work, and the unacknowledged commit is not visible.
	if v, err := db.Get(tb, []byte("a")); err != nil || string(v) != "1" {
		t.Fatalf("read after fence: %q %v", v, err)
	}
	if _, err := db.Get(tb, []byte("b")); !errors.Is(err, ErrKeyNotFound) {
		t.Fatalf("failed commit visible: %v", err)
	}
	if err := db.Close(); !errors.Is(err, ErrIO) {
		t.Fatalf("close after fsync failure: %v", err)
	}
	db = openDir(t, dir, Options{})
	defer db.Close()
	if v, err := db.Get(tb, []byte("a")); err != nil || string(v) != "1" {
		t.Fatalf("acknowledged commit lost: %q %v", v, err)
	}
	if err := db.Update(func(tx *Tx) error { return tx.Set(tb, []byte("d"), []byte("4")) }); err != nil {
		t.Fatalf("write after reopen: %v", err)
	}
}

func writeN(t testing.TB, db *DB, tb TableID, from, to int) {
	t.Helper()
	for i := from; i < to; i++ {
		if err := db.Update(func(tx *Tx) error { return tx.Set(tb, k(i), []byte(fmt.Sprint(i))) }); err != nil {
			t.Fatal(err)
		}
	}
}

func countKeys(t testing.TB, db *DB, tb TableID) int {
	t.Helper()
	n := 0
	err := db.View(func(tx *Tx) error {
		it := tx.NewIterator(tb, IterOptions{})
		for it.Next() {
			n++
		}
		return it.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestTornTail(t *testing.T) {
	dir := t.TempDir()
	db := openDir(t, dir, Options{CheckpointInterval: -1})
	tb := mustTable(t, db, "t", Range)
	writeN(t, db, tb, 0, 20)
	db.Close()
	segs := segments(t, dir)
	last := segs[len(segs)-1]
	fi, _ := os.Stat(last)
	// Cut the last record in half.
	if err := os.Truncate(last, fi.Size()-5); err != nil {
		t.Fatal(err)
	}
	var logs logBuffer
	db = openDir(t, dir, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if n := countKeys(t, db, tb); n != 19 {
		t.Fatalf("after torn tail: %d keys, want 19", n)
	}
	if !strings.Contains(logs.String(), "torn record") || !strings.Contains(logs.String(), "truncating") {
		t.Fatalf("no warning about the torn tail in log output: %s", logs.String())
	}
	fi2, _ := os.Stat(last)
	if fi2.Size() >= fi.Size()-5 {
		t.Fatalf("log not truncated: %d", fi2.Size())
	}
	writeN(t, db, tb, 100, 110)
	db.Close()

	// Corrupt a byte in the middle of the log: everything after is discarded.
	segs = segments(t, dir)
	var target string
	for _, s := range segs {
		if fi, _ := os.Stat(s); fi.Size() > 200 {
			target = s
		}
	}
	data, _ := os.ReadFile(target)
	data[len(data)/2] ^= 0xff
	if err := os.WriteFile(target, data, 0o644); err != nil {
		t.Fatal(err)
	}
	logs = logBuffer{}
	db = openDir(t, dir, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	n := countKeys(t, db, tb)
	if n >= 29 || n < 19 {
		t.Fatalf("after corruption: %d keys", n)
	}
	if !strings.Contains(logs.String(), "checksum mismatch") && !strings.Contains(logs.String(), "torn") {
		t.Fatalf("no warning about corruption: %s", logs.String())
	}
	// The surviving keys are a prefix of the commit order.
	for i := 0; i < 19; i++ {
		if _, err := db.Get(tb, k(i)); err != nil {
			t.Fatalf("key %d before the corruption lost: %v", i, err)
		}
	}
	writeN(t, db, tb, 200, 205)
	db.Close()
	db = openDir(t, dir, Options{})
	defer db.Close()
	if got := countKeys(t, db, tb); got != n+5 {
		t.Fatalf("after repair and more writes: %d want %d", got, n+5)
	}
}

func TestCheckpointTruncatesLog(t *testing.T) {
	dir := t.TempDir()
	db := openDir(t, dir, Options{CheckpointInterval: -1, SegmentBytes: 4096})
	tb := mustTable(t, db, "t", Range)
	h := mustTable(t, db, "h", Hash)
	writeN(t, db, tb, 0, 300)
	_ = db.Update(func(tx *Tx) error { return tx.Set(h, []byte("x"), []byte("y")) })
	before := len(segments(t, dir))
	if before < 3 {
		t.Fatalf("expected several segments, got %d", before)
	}
	// A reader holds an old snapshot across the checkpoint and later writes.
	old, _ := db.Begin(TxOptions{Isolation: SnapshotIsolation, ReadOnly: true})
	if err := db.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	if after := len(segments(t, dir)); after != 1 {
		t.Fatalf("segments after checkpoint: %d", after)
	}
	ck, _ := filepath.Glob(filepath.Join(dir, "checkpoint-*.ckpt"))
	if len(ck) != 1 {
		t.Fatalf("checkpoints: %v", ck)
	}
	_ = db.Update(func(tx *Tx) error { return tx.Delete(tb, k(0)) })
	writeN(t, db, tb, 300, 350)
	if err := db.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	if ck, _ := filepath.Glob(filepath.Join(dir, "checkpoint-*.ckpt")); len(ck) != 1 {
		t.Fatalf("old checkpoint not removed: %v", ck)
	}
	if n := 0; true {
		it := old.NewIterator(tb, IterOptions{})
		for it.Next() {
			n++
		}
		if it.Close() != nil || n != 300 {
			t.Fatalf("old snapshot changed across checkpoints: %d", n)
		}
	}
	old.Rollback()
	writeN(t, db, tb, 350, 360)
	db.Close()
	// Leave a stray temporary checkpoint as an interrupted checkpoint would.
	if err := os.WriteFile(filepath.Join(dir, "checkpoint-00000000000099999999.tmp"), []byte("junk"), 0o644); err != nil {
		t.Fatal(err)
	}
	var logs logBuffer
	db = openDir(t, dir, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	defer db.Close()
	if n := countKeys(t, db, tb); n != 359 {
		t.Fatalf("after checkpoint+log recovery: %d keys", n)
	}
	if v, err := db.Get(h, []byte("x")); err != nil || string(v) != "y" {
		t.Fatalf("hash table after recovery: %v", err)
	}
	if _, err := db.Get(tb, k(0)); !errors.Is(err, ErrKeyNotFound) {
		t.Fatalf("deleted key back: %v", err)
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, "*.tmp")); len(tmp) != 0 || !strings.Contains(logs.String(), "incomplete checkpoint") {
		t.Fatalf("stray tmp not cleaned: %v %s", tmp, logs.String())
	}
}

func TestBackgroundCheckpoint(t *testing.T) {
	dir := t.TempDir()
	db := openDir(t, dir, Options{CheckpointLogBytes: 8 << 10, Sync: SyncOff})
	tb := mustTable(t, db, "t", Range)
	writeN(t, db, tb, 0, 500)
	deadline := time.Now().Add(5 * time.Second)
	for db.Stats().Checkpoints == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if db.Stats().Checkpoints == 0 {
		t.Fatal("no background checkpoint")
	}
	db.Close()
	db = openDir(t, dir, Options{})
	defer db.Close()
	if n := countKeys(t, db, tb); n != 500 {
		t.Fatalf("keys: %d", n)
	}
}

// ---------------------------------------------------------------- crash test

const crashEnv = "KVT_CRASH_CHILD_DIR"

// TestCrashChild is the child half of TestCrashRecovery: it commits until it
// is killed and reports every acknowledged commit on stdout.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashEnv)
	if dir == "" {
		t.Skip("child process of TestCrashRecovery")
	}
	cycle, _ := strconv.Atoi(os.Getenv("KVT_CRASH_CYCLE"))
	db, err := Open(dir, Options{CheckpointLogBytes: 16 << 10, SegmentBytes: 8 << 10, Logger: quietLogger()})
	if err != nil {
		fmt.Printf("openerr %v\n", err)
		os.Exit(2)
	}
	tb, err := db.Table("t")
	if err != nil {
		tb, err = db.CreateTable("t", Range)
		if err != nil {
			fmt.Printf("openerr %v\n", err)
			os.Exit(2)
		}
	}
	if cycle%7 == 3 {
		db.debugCrashInCheckpoint()
	}
	os.Stdout.WriteString("ready\n")
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for n := 0; ; n++ {
				id := fmt.Sprintf("%d/%04d/%06d", g, cycle, n)
				err := db.Update(func(tx *Tx) error {
					ctr := []byte(fmt.Sprintf("ctr/%d", g))
					c := 0
					if v, err := tx.Get(tb.ID, ctr); err == nil {
						c, _ = strconv.Atoi(string(v))
					} else if !errors.Is(err, ErrKeyNotFound) {
						return err
					}
					if err := tx.Set(tb.ID, ctr, []byte(strconv.Itoa(c+1))); err != nil {
						return err
					}
					if err := tx.Set(tb.ID, []byte("a/"+id), []byte(id)); err != nil {
						return err
					}
					return tx.Set(tb.ID, []byte("b/"+id), bytes.Repeat([]byte(id), 3))
				})
				if err != nil {
					fmt.Printf("err %v\n", err)
					os.Exit(2)
				}
				os.Stdout.WriteString("ok " + id + "\n")
			}
		}(g)
	}
	wg.Wait()
}

func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("crash loop")
	}
	dir := t.TempDir()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	acked := map[string]bool{}
	start := time.Now()
	cycles := 0
	for cycle := 0; cycle < 60 && (cycles < 50 || time.Since(start) < 15*time.Second); cycle++ {
		if time.Since(start) > 18*time.Second && cycles >= 50 {
			break
		}
		cmd := exec.Command(exe, "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashEnv+"="+dir, "KVT_CRASH_CYCLE="+strconv.Itoa(cycle))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 1024)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		var killAt <-chan time.Time
		var childErr string
		for l := range lines {
			switch {
			case l == "ready":
				killAt = time.After(time.Duration(5+rand.IntN(60)) * time.Millisecond)
			case strings.HasPrefix(l, "ok "):
				acked[l[3:]] = true
			case strings.HasPrefix(l, "err ") || strings.HasPrefix(l, "openerr "):
				childErr = l
			}
			if killAt != nil {
				select {
				case <-killAt:
					_ = cmd.Process.Signal(syscall.SIGKILL)
					killAt = nil
				default:
				}
			}
			if childErr != "" {
				break
			}
		}
		_ = cmd.Process.Signal(syscall.SIGKILL)
		for l := range lines { // drain what was printed before the kill
			if strings.HasPrefix(l, "ok ") {
				acked[l[3:]] = true
			}
		}
		_ = cmd.Wait()
		if childErr != "" {
			t.Fatalf("cycle %d: child failed: %s", cycle, childErr)
		}
		cycles++
		verifyCrashState(t, dir, acked, cycle)
	}
	if cycles < 50 {
		t.Fatalf("only %d crash cycles", cycles)
	}
	t.Logf("%d crash cycles, %d acknowledged commits, %s", cycles, len(acked), time.Since(start))
}

func verifyCrashState(t *testing.T, dir string, acked map[string]bool, cycle int) {
	t.Helper()
	db, err := Open(dir, Options{Logger: quietLogger(), CheckpointInterval: -1})
	if err != nil {
		t.Fatalf("cycle %d: reopen: %v", cycle, err)
	}
	defer db.Close()
	tb, err := db.Table("t")
	if err != nil {
		if len(acked) == 0 {
			return
		}
		t.Fatalf("cycle %d: table missing: %v", cycle, err)
	}
	present := map[string]bool{}
	perG := map[string]int{}
	err = db.View(func(tx *Tx) error {
		it := tx.NewIterator(tb.ID, IterOptions{Lower: []byte("a/"), Upper: []byte("a0")})
		for it.Next() {
			id := string(it.Key()[2:])
			if string(it.Value()) != id {
				return fmt.Errorf("a/%s has value %q", id, it.Value())
			}
			present[id] = true
			perG[id[:1]]++
			b, err := tx.Get(tb.ID, []byte("b/"+id))
			if err != nil || !bytes.Equal(b, bytes.Repeat([]byte(id), 3)) {
				return fmt.Errorf("partial transaction: a/%s without b/%s (%v)", id, id, err)
			}
		}
		if err := it.Close(); err != nil {
			return err
		}
		for g, n := range perG {
			v, err := tx.Get(tb.ID, []byte("ctr/"+g))
			if err != nil || string(v) != strconv.Itoa(n) {
				return fmt.Errorf("partial transaction: ctr/%s = %q (%v) but %d a/ keys", g, v, err, n)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("cycle %d: %v", cycle, err)
	}
	for id := range acked {
		if !present[id] {
			t.Fatalf("cycle %d: acknowledged commit %s lost", cycle, id)
		}
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, "*.tmp")); len(tmp) != 0 {
		t.Fatalf("cycle %d: stray temporary checkpoint after open: %v", cycle, tmp)
	}
}

// TestCrashDuringCheckpoint kills the process in the middle of writing a
// checkpoint (deterministically, via the test hook) and checks recovery.
func TestCrashDuringCheckpoint(t *testing.T) {
	if os.Getenv("KVT_CKPT_CHILD_DIR") != "" {
		db, err := Open(os.Getenv("KVT_CKPT_CHILD_DIR"), Options{Logger: quietLogger(), CheckpointInterval: -1})
		if err != nil {
			os.Exit(2)
		}
		tb, _ := db.Table("t")
		writeN(t, db, tb.ID, 1000, 3000)
		db.debugCrashInCheckpoint()
		_ = db.Checkpoint()
		os.Exit(4) // not reached: the hook exits with status 3
	}
	dir := t.TempDir()
	db := openDir(t, dir, Options{CheckpointInterval: -1})
	tb := mustTable(t, db, "t", Range)
	writeN(t, db, tb, 0, 500)
	if err := db.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	db.Close()
	exe, _ := os.Executable()
	cmd := exec.Command(exe, "-test.run=^TestCrashDuringCheckpoint$", "-test.count=1")
	cmd.Env = append(os.Environ(), "KVT_CKPT_CHILD_DIR="+dir)
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 {
		t.Fatalf("child should exit 3 inside the checkpoint: %v", err)
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, "*.tmp")); len(tmp) != 1 {
		t.Fatalf("expected a partial checkpoint file: %v", tmp)
	}
	db = openDir(t, dir, Options{})
	defer db.Close()
	if n := countKeys(t, db, tb); n != 2500 {
		t.Fatalf("after crash in checkpoint: %d keys, want 2500", n)
	}
	if err := db.Checkpoint(); err != nil {
		t.Fatal(err)
	}
}

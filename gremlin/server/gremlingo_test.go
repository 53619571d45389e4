package server

import (
	"os"
	"strings"
	"testing"
	"time"

	gremlingo "github.com/apache/tinkerpop/gremlin-go/v3/driver"
)

// These tests drive the server with the real gremlin-go v3.8.1 driver to
// prove wire compatibility.

func quietClient(s *gremlingo.ClientSettings) {
	s.LogVerbosity = gremlingo.Off
	s.ConnectionTimeout = 5 * time.Second
}

func quietRemote(s *gremlingo.DriverRemoteConnectionSettings) {
	s.LogVerbosity = gremlingo.Off
	s.ConnectionTimeout = 5 * time.Second
}

func TestGremlinGoClientSubmit(t *testing.T) {
	ts := startServer(t, Config{})
	client, err := gremlingo.NewClient(ts.url, quietClient)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()

	rs, err := client.Submit("ints 200")
	if err != nil {
		t.Fatal(err)
	}
	all, err := rs.All()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 200 {
		t.Fatalf("%d results over 206 batches, want 200", len(all))
	}
	if v, err := all[199].GetInt64(); err != nil || v != 199 {
		t.Fatalf("last result %v %v", all[199], err)
	}

	rs, err = client.Submit("echo x", map[string]interface{}{"x": "bound"})
	if err != nil {
		t.Fatal(err)
	}
	one, err := rs.All()
	if err != nil || len(one) != 1 || one[0].GetString() != "bound" {
		t.Fatalf("binding round trip: %v %v", one, err)
	}

	rs, err = client.Submit("empty")
	if err != nil {
		t.Fatal(err)
	}
	if none, err := rs.All(); err != nil || len(none) != 0 {
		t.Fatalf("empty result: %v %v", none, err)
	}

	rs, err = client.Submit("fail bad script")
	if err == nil {
		_, err = rs.All()
	}
	if err == nil || !strings.Contains(err.Error(), "bad script") {
		t.Fatalf("error %v, want the evaluation message", err)
	}

	// Timeouts through RequestOptions.
	opts := new(gremlingo.RequestOptionsBuilder).SetEvaluationTimeout(100).Create()
	rs, err = client.SubmitWithOptions("sleep 10000", opts)
	if err == nil {
		_, err = rs.All()
	}
	if err == nil || !strings.Contains(err.Error(), "598") && !strings.Contains(err.Error(), "evaluationTimeout") {
		t.Fatalf("timeout error %v", err)
	}
}

func TestGremlinGoRemoteTraversal(t *testing.T) {
	ts := startServer(t, Config{})
	g := modernRemote(t, ts.url)
	list, err := g.Inject(int32(1), "two", int64(3)).ToList()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 || list[1].GetString() != "two" {
		t.Fatalf("inject: %v", list)
	}
}

// modernRemote connects a gremlin-go remote traversal source to the
// server's gmodern graph at url (closed when the test ends) and checks
// that g.V().count() is 6.
func modernRemote(t *testing.T, url string) *gremlingo.GraphTraversalSource {
	t.Helper()
	drc, err := gremlingo.NewDriverRemoteConnection(url, func(s *gremlingo.DriverRemoteConnectionSettings) {
		quietRemote(s)
		s.TraversalSource = "gmodern"
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drc.Close)
	g := gremlingo.Traversal_().With(drc)
	r, err := g.V().Count().Next()
	if err != nil {
		t.Fatal(err)
	}
	if n, err := r.GetInt64(); err != nil || n != 6 {
		t.Fatalf("g.V().count() = %v (%v), want 6", r, err)
	}
	return g
}

func TestGremlinGoTransaction(t *testing.T) {
	ts := startServer(t, Config{})
	drc, err := gremlingo.NewDriverRemoteConnection(ts.url, quietRemote)
	if err != nil {
		t.Fatal(err)
	}
	defer drc.Close()
	g := gremlingo.Traversal_().With(drc)
	tx := g.Tx()
	gtx, err := tx.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gtx.V().Count().Next(); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	txs := ts.exec.txs()
	if len(txs) != 1 || !strings.HasSuffix(txs[0], "/commit/g") {
		t.Fatalf("tx log %v, want one commit on g", txs)
	}
	// Commit closes the session (op close).
	deadline := time.Now().Add(10 * time.Second)
	for len(ts.exec.closedSessions()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("session not closed after commit")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestGremlinGoAuth(t *testing.T) {
	line, err := HashPassword("stephen", "password")
	if err != nil {
		t.Fatal(err)
	}
	creds, err := ParseCredentials([]byte(line + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, Config{Auth: AuthConfig{Enabled: true, Credentials: creds}})

	client, err := gremlingo.NewClient(ts.url, func(s *gremlingo.ClientSettings) {
		quietClient(s)
		s.AuthInfo = gremlingo.BasicAuthInfo("stephen", "password")
	})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	rs, err := client.Submit("user")
	if err != nil {
		t.Fatal(err)
	}
	all, err := rs.All()
	if err != nil || len(all) != 1 || all[0].GetString() != "stephen" {
		t.Fatalf("authenticated result %v %v", all, err)
	}

	bad, err := gremlingo.NewClient(ts.url, func(s *gremlingo.ClientSettings) {
		quietClient(s)
		s.AuthInfo = gremlingo.BasicAuthInfo("stephen", "wrong")
	})
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Close()
	rs, err = bad.Submit("user")
	if err == nil {
		_, err = rs.All()
	}
	if err == nil || !strings.Contains(err.Error(), "401") && !strings.Contains(err.Error(), "incorrect") {
		t.Fatalf("bad password: %v, want 401", err)
	}
}

// TestGremlinGoLiveServer checks a running kvtgraph (real executor) when
// KVTGRAPH_E2E_URL names it, e.g. ws://127.0.0.1:45940/gremlin with
// conf/tinkerpop-test.yaml.
func TestGremlinGoLiveServer(t *testing.T) {
	url := os.Getenv("KVTGRAPH_E2E_URL")
	if url == "" {
		t.Skip("KVTGRAPH_E2E_URL not set")
	}
	modernRemote(t, url)
	client, err := gremlingo.NewClient(url, func(s *gremlingo.ClientSettings) {
		quietClient(s)
		s.TraversalSource = "gmodern"
	})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	rs, err := client.Submit("g.V().hasLabel('person').values('name')")
	if err != nil {
		t.Fatal(err)
	}
	names, err := rs.All()
	if err != nil || len(names) != 4 {
		t.Fatalf("names %v %v", names, err)
	}
}

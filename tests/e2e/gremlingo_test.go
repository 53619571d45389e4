package e2e

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	gremlingo "github.com/apache/tinkerpop/gremlin-go/v3/driver"
	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"
)

var __ = gremlingo.T__

// TestGremlinGoBytecode drives traversals as gremlin-go bytecode over
// GraphBinary: reads of modern, then writes read back on an empty graph.
func TestGremlinGoBytecode(t *testing.T) {
	s := startServer(t, testdata("e2e.yaml"))
	gm := s.traversal("gmodern")

	for what, tr := range map[string]*gremlingo.GraphTraversal{
		"V().count()": gm.V().Count(),
		"E().count()": gm.E().Count(),
	} {
		r, err := tr.Next()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if n := toInt64(t, r); n != 6 {
			t.Fatalf("%s = %d, want 6", what, n)
		}
	}

	r, err := gm.V().Has("person", "name", "marko").ValueMap("name", "age").Next()
	if err != nil {
		t.Fatal(err)
	}
	vm, ok := r.GetInterface().(map[any]any)
	if !ok {
		t.Fatalf("valueMap result %T %v, want a map", r.GetInterface(), r.GetInterface())
	}
	if len(vm) != 2 || fmt.Sprint(vm["name"]) != "[marko]" || fmt.Sprint(vm["age"]) != "[29]" {
		t.Fatalf("valueMap = %v, want map[age:[29] name:[marko]]", vm)
	}

	paths, err := gm.V().Has("name", "marko").OutE("knows").InV().Order().By("name").Path().ToList()
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 2 {
		t.Fatalf("%d paths, want 2", len(paths))
	}
	var got []string
	for _, p := range paths {
		path, err := p.GetPath()
		if err != nil {
			t.Fatalf("path result %v: %v", p, err)
		}
		if len(path.Objects) != 3 {
			t.Fatalf("path %v has %d objects, want vertex, edge, vertex", path, len(path.Objects))
		}
		out, ok1 := path.Objects[0].(*gremlingo.Vertex)
		e, ok2 := path.Objects[1].(*gremlingo.Edge)
		in, ok3 := path.Objects[2].(*gremlingo.Vertex)
		if !ok1 || !ok2 || !ok3 {
			t.Fatalf("path objects %T %T %T", path.Objects[0], path.Objects[1], path.Objects[2])
		}
		got = append(got, fmt.Sprintf("%v-%s(%v)->%v", out.Id, e.Label, e.Id, in.Id))
	}
	if want := []string{"1-knows(8)->4", "1-knows(7)->2"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("paths %v, want %v (ordered by name: josh, vadas)", got, want)
	}
	names, err := gm.V().Has("name", "marko").Out("knows").Order().By("name").Path().By("name").ToList()
	if err != nil {
		t.Fatal(err)
	}
	if joined(names) != "path[marko, josh],path[marko, vadas]" {
		t.Fatalf("path().by('name') = %s", joined(names))
	}

	// Writes on the empty graph, read back through another connection.
	g := s.traversal("g")
	e, err := g.AddV("person").Property("name", "alice").As("a").
		AddV("person").Property("name", "bob").
		AddE("knows").From("a").Property("since", int32(2020)).Next()
	if err != nil {
		t.Fatal(err)
	}
	if edge, ok := e.GetInterface().(*gremlingo.Edge); !ok || edge.Label != "knows" {
		t.Fatalf("addE returned %T %v", e.GetInterface(), e.GetInterface())
	}
	g2 := s.traversal("g")
	friends, err := g2.V().Has("person", "name", "alice").Out("knows").Values("name").ToList()
	if err != nil {
		t.Fatal(err)
	}
	if joined(friends) != "bob" {
		t.Fatalf("alice knows %v, want bob", strs(friends))
	}
	since, err := g2.E().HasLabel("knows").Values("since").Next()
	if err != nil || toInt64(t, since) != 2020 {
		t.Fatalf("since = %v %v", since, err)
	}
	if n, err := g2.V().Count().Next(); err != nil || toInt64(t, n) != 2 {
		t.Fatalf("vertex count after addV = %v %v, want 2", n, err)
	}
	// Property updates and drops are visible too.
	if err := <-g.V().Has("name", "bob").Property("age", int32(33)).Iterate(); err != nil {
		t.Fatal(err)
	}
	if age, err := g2.V().Has("name", "bob").Values("age").Next(); err != nil || toInt64(t, age) != 33 {
		t.Fatalf("bob's age = %v %v", age, err)
	}
	if err := <-g.V().Has("name", "alice").Drop().Iterate(); err != nil {
		t.Fatal(err)
	}
	if n, err := g2.E().Count().Next(); err != nil || toInt64(t, n) != 0 {
		t.Fatalf("edges after dropping alice = %v %v, want 0", n, err)
	}
}

// TestGremlinGoScripts sends scripts with Client.Submit: bindings,
// several statements with variables, and errors.
func TestGremlinGoScripts(t *testing.T) {
	s := startServer(t, testdata("e2e.yaml"))
	c := s.client("gmodern")

	rs := submit(t, c, "g.V().has('person', 'name', who).values('age')", map[string]any{"who": "marko"})
	if len(rs) != 1 || toInt64(t, rs[0]) != 29 {
		t.Fatalf("age of marko = %v", strs(rs))
	}
	rs = submit(t, c, "g.V().hasLabel(l).has('age', gt(a)).values('name').order()", map[string]any{"l": "person", "a": 30})
	if joined(rs) != "josh,peter" {
		t.Fatalf("people older than 30: %v", strs(rs))
	}

	script := `m = g.V().has('name', who).next()
friends = g.V(m).out('knows').values('name').order().toList()
n = g.V(m).out('created').count().next()
g.inject(friends).unfold().as('f').constant(n).as('c').select('f', 'c')`
	rs = submit(t, c, script, map[string]any{"who": "marko"})
	if joined(rs) != "map[c:1 f:josh],map[c:1 f:vadas]" {
		t.Fatalf("multi-statement script = %v", strs(rs))
	}
	// Statements separated by ';' and a last statement that is a variable.
	rs = submit(t, c, "x = g.V().has('name','josh').values('age').next(); y = g.V().has('name','vadas').values('age').next(); [x, y]", nil)
	if joined(rs) != "32,27" {
		t.Fatalf("list of variables = %v", strs(rs))
	}
	// A script's alias: the client's "g" names gmodern, and other
	// configured sources stay reachable by name.
	rs = submit(t, c, "g.V().count()", nil)
	if len(rs) != 1 || toInt64(t, rs[0]) != 6 {
		t.Fatalf("g.V().count() via alias = %v", strs(rs))
	}
	// Variables do not outlive a sessionless request.
	if _, err := trySubmit(c, "m", nil); err == nil {
		t.Fatal("a sessionless request saw the variable of an earlier request")
	}
	// Errors: syntax (597 with the position) and a lambda (refused).
	_, err := trySubmit(c, "g.V().has('name',", nil)
	if !hasStatus(err, 597) || !strings.Contains(err.Error(), "column 18") {
		t.Fatalf("syntax error: %v, want a 597 naming the position", err)
	}
	_, err = trySubmit(c, "g.V().map{it.get()}", nil)
	if err == nil {
		t.Fatal("a lambda was evaluated")
	}
	// The connection still serves after the errors.
	rs = submit(t, c, "g.E().count()", nil)
	if len(rs) != 1 || toInt64(t, rs[0]) != 6 {
		t.Fatalf("g.E().count() after errors = %v", strs(rs))
	}
}

// TestGremlinGoSession keeps variables and an open transaction across the
// requests of a session.
func TestGremlinGoSession(t *testing.T) {
	s := startServer(t, testdata("e2e.yaml"))
	sess := s.client("g", func(cs *gremlingo.ClientSettings) { cs.Session = uuid.NewString() })
	other := s.client("g")

	submit(t, sess, "v = g.addV('person').property('name', 'sessioned').next()", nil)
	submit(t, sess, "name = 'sessioned'", nil)
	rs := submit(t, sess, "g.V(v).has('name', name).values('name')", nil)
	if joined(rs) != "sessioned" {
		t.Fatalf("session variables: %v", strs(rs))
	}
	// The session's transaction is open: nobody else sees the vertex yet.
	if rs := submit(t, other, "g.V().has('name', 'sessioned').count()", nil); toInt64(t, rs[0]) != 0 {
		t.Fatal("another connection sees an uncommitted session write")
	}
	submit(t, sess, "g.tx().commit()", nil)
	if rs := submit(t, other, "g.V().has('name', 'sessioned').count()", nil); toInt64(t, rs[0]) != 1 {
		t.Fatal("a committed session write is not visible to another connection")
	}
	// A rolled back write disappears, the variables stay.
	submit(t, sess, "g.addV('person').property('name', 'discarded').iterate()", nil)
	if rs := submit(t, sess, "g.V().has('name', 'discarded').count()", nil); toInt64(t, rs[0]) != 1 {
		t.Fatal("the session does not see its own write")
	}
	submit(t, sess, "g.tx().rollback()", nil)
	if rs := submit(t, sess, "g.V().has('name', 'discarded').count()", nil); toInt64(t, rs[0]) != 0 {
		t.Fatal("rollback kept the write")
	}
	if rs := submit(t, sess, "name", nil); joined(rs) != "sessioned" {
		t.Fatalf("variable after rollback: %v", strs(rs))
	}
	// Another session does not share the variables.
	sess2 := s.client("g", func(cs *gremlingo.ClientSettings) { cs.Session = uuid.NewString() })
	if _, err := trySubmit(sess2, "name", nil); err == nil {
		t.Fatal("a second session sees the first session's variable")
	}
}

// TestGremlinGoTransaction runs g.Tx() (a bytecode session): rollback
// discards, commit is visible from another connection, and nothing is
// visible before the commit.
func TestGremlinGoTransaction(t *testing.T) {
	s := startServer(t, testdata("e2e.yaml"))
	g := s.traversal("g")
	observer := s.traversal("g")
	count := func(src *gremlingo.GraphTraversalSource, label string) int64 {
		t.Helper()
		r, err := src.V().HasLabel(label).Count().Next()
		if err != nil {
			t.Fatal(err)
		}
		return toInt64(t, r)
	}

	tx := g.Tx()
	gtx, err := tx.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if err := <-gtx.AddV("rolled").Property("i", int32(i)).Iterate(); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(gtx, "rolled"); n != 3 {
		t.Fatalf("the transaction sees %d of its own vertices, want 3", n)
	}
	if n := count(observer, "rolled"); n != 0 {
		t.Fatalf("another connection sees %d uncommitted vertices", n)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if n := count(observer, "rolled"); n != 0 {
		t.Fatalf("%d vertices survived the rollback", n)
	}
	if n := count(g, "rolled"); n != 0 {
		t.Fatalf("%d vertices survived the rollback (same connection)", n)
	}

	tx = g.Tx()
	gtx, err = tx.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if err := <-gtx.AddV("kept").Property("name", "a").As("a").AddV("kept").Property("name", "b").AddE("link").From("a").Iterate(); err != nil {
		t.Fatal(err)
	}
	if n := count(observer, "kept"); n != 0 {
		t.Fatalf("another connection sees %d vertices before the commit", n)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if n := count(observer, "kept"); n != 2 {
		t.Fatalf("another connection sees %d committed vertices, want 2", n)
	}
	r, err := observer.V().Has("kept", "name", "a").Out("link").Values("name").Next()
	if err != nil || r.GetString() != "b" {
		t.Fatalf("committed edge: %v %v", r, err)
	}
}

// TestGremlinGoAuth enables SASL with a bcrypt credentials file: the right
// password works (scripts and bytecode), a wrong one gets 401, and HTTP
// answers Basic auth the same way.
func TestGremlinGoAuth(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte("s3cret pass"), 10)
	if err != nil {
		t.Fatal(err)
	}
	creds := filepath.Join(t.TempDir(), "credentials")
	if err := os.WriteFile(creds, []byte("# e2e users\nstephen:"+string(hash)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := startServer(t, testdata("e2e.yaml"), "KVTGRAPH_AUTH_ENABLED=true", "KVTGRAPH_AUTH_CREDENTIALS="+creds)

	good := s.client("gmodern", func(cs *gremlingo.ClientSettings) {
		cs.AuthInfo = gremlingo.BasicAuthInfo("stephen", "s3cret pass")
	})
	for i := 0; i < 2; i++ { // the second request runs on the authenticated connection
		rs := submit(t, good, "g.V().count()", nil)
		if len(rs) != 1 || toInt64(t, rs[0]) != 6 {
			t.Fatalf("authenticated count = %v", strs(rs))
		}
	}
	gb := s.traversal("gmodern", func(rs *gremlingo.DriverRemoteConnectionSettings) {
		rs.AuthInfo = gremlingo.BasicAuthInfo("stephen", "s3cret pass")
	})
	if r, err := gb.V().Has("name", "marko").Values("age").Next(); err != nil || toInt64(t, r) != 29 {
		t.Fatalf("authenticated bytecode: %v %v", r, err)
	}

	for _, creds := range [][2]string{{"stephen", "wrong"}, {"nobody", "s3cret pass"}} {
		bad := s.client("gmodern", func(cs *gremlingo.ClientSettings) {
			cs.AuthInfo = gremlingo.BasicAuthInfo(creds[0], creds[1])
		})
		_, err := trySubmit(bad, "g.V().count()", nil)
		if !hasStatus(err, 401) {
			t.Fatalf("user %q password %q: %v, want a 401", creds[0], creds[1], err)
		}
	}

	post := func(user, pass string) (int, string) {
		req, err := http.NewRequest(http.MethodPost, "http://"+s.addr+"/",
			strings.NewReader(`{"gremlin": "g.V().count()", "aliases": {"g": "gmodern"}}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if user != "" {
			req.SetBasicAuth(user, pass)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		buf := make([]byte, 4096)
		for {
			n, err := resp.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return resp.StatusCode, b.String()
	}
	if code, body := post("stephen", "s3cret pass"); code != 200 || !strings.Contains(body, "6") {
		t.Fatalf("HTTP with good credentials: %d %s", code, body)
	}
	for _, u := range [][2]string{{"stephen", "bad"}, {"", ""}} {
		if code, body := post(u[0], u[1]); code != 401 {
			t.Fatalf("HTTP as %q/%q: %d %s, want 401", u[0], u[1], code, body)
		}
	}
}

// TestGremlinGoBatching streams 10,000 results: gremlin-go receives all
// of them, in order, over many 206 partial responses.
func TestGremlinGoBatching(t *testing.T) {
	s := startServer(t, testdata("e2e.yaml"))
	const n = 10000
	ints := make([]any, n)
	for i := range ints {
		ints[i] = int32(i)
	}
	g := s.traversal("g")
	list, err := g.Inject(ints...).ToList()
	if err != nil {
		t.Fatal(err)
	}
	checkSequence(t, "bytecode inject", list, n)

	// A script producing the items on the server: 10^4 from a cross
	// product of ten-element lists, numbered in order.
	c := s.client("g")
	digits := "[0,1,2,3,4,5,6,7,8,9]"
	script := fmt.Sprintf("g.inject(%[1]s).unfold().as('a').flatMap(constant(%[1]s).unfold()).as('b')."+
		"flatMap(constant(%[1]s).unfold()).as('c').flatMap(constant(%[1]s).unfold()).as('d')."+
		"math('a * 1000 + b * 100 + c * 10 + d')", digits)
	rs := submit(t, c, script, nil)
	if len(rs) != n {
		t.Fatalf("script produced %d results, want %d", len(rs), n)
	}
	for i, r := range rs {
		f, err := r.GetFloat64()
		if err != nil || f != float64(i) {
			t.Fatalf("script result %d = %v (%v), want %d", i, r, err, i)
		}
	}

	// Through a smaller batchSize on the request.
	opts := new(gremlingo.RequestOptionsBuilder).SetBatchSize(7).Create()
	set, err := c.SubmitWithOptions("g.inject(1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20)", opts)
	if err != nil {
		t.Fatal(err)
	}
	all, err := set.All()
	if err != nil || len(all) != 20 || toInt64(t, all[19]) != 20 {
		t.Fatalf("batchSize 7: %v %v", strs(all), err)
	}
}

// hasStatus reports whether a gremlin-go error carries a response status
// code. gremlin-go 3.8.1 masks the GraphBinary status code to its low byte
// (serializer.go: uint16(readUint32Safe(...) & 0xFF)), so 597 arrives as
// 85 and 401 as 145; both forms are accepted, the message must say which.
func hasStatus(err error, code int) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, fmt.Sprintf("code:%d ", code)) ||
		strings.Contains(msg, fmt.Sprintf("code:%d ", code&0xFF))
}

func checkSequence(t *testing.T, what string, list []*gremlingo.Result, n int) {
	t.Helper()
	if len(list) != n {
		t.Fatalf("%s: %d results, want %d", what, len(list), n)
	}
	for i, r := range list {
		if v := toInt64(t, r); v != int64(i) {
			t.Fatalf("%s: result %d is %d: out of order", what, i, v)
		}
	}
}

// TestGremlinGoEvaluationTimeout gets a 598 for traversals that run past
// their evaluationTimeout (per request, per traversal and the server's
// default) while the server keeps serving other requests.
func TestGremlinGoEvaluationTimeout(t *testing.T) {
	s := startServer(t, testdata("e2e.yaml"))
	c := s.client("gmodern")
	long := "g.V().repeat(both()).times(50).path().count()"

	opts := new(gremlingo.RequestOptionsBuilder).SetEvaluationTimeout(300).Create()
	set, err := c.SubmitWithOptions(long, opts)
	if err == nil {
		_, err = set.All()
	}
	if !hasStatus(err, 598) {
		t.Fatalf("script past its evaluationTimeout: %v, want a 598", err)
	}

	gm := s.traversal("gmodern")
	_, err = gm.With("evaluationTimeout", int32(300)).V().Repeat(__.Both()).Times(50).Path().Count().Next()
	if !hasStatus(err, 598) {
		t.Fatalf("bytecode past its evaluationTimeout: %v, want a 598", err)
	}

	// The server and both connections still serve.
	if rs := submit(t, c, "g.V().count()", nil); toInt64(t, rs[0]) != 6 {
		t.Fatalf("count after the timeout: %v", strs(rs))
	}
	if r, err := gm.V().Has("name", "vadas").Values("age").Next(); err != nil || toInt64(t, r) != 27 {
		t.Fatalf("bytecode after the timeout: %v %v", r, err)
	}
	fresh := s.client("gmodern")
	if rs := submit(t, fresh, "g.E().count()", nil); toInt64(t, rs[0]) != 6 {
		t.Fatalf("new connection after the timeout: %v", strs(rs))
	}

	// The configured default applies when the request names none.
	s2 := startServer(t, testdata("e2e.yaml"), "KVTGRAPH_SERVER_EVALUATIONTIMEOUT=2s")
	c2 := s2.client("gmodern")
	if _, err := trySubmit(c2, long, nil); !hasStatus(err, 598) {
		t.Fatalf("script past the server's evaluationTimeout: %v, want a 598", err)
	}
	if rs := submit(t, c2, "g.V().hasLabel('software').values('name').order()", nil); joined(rs) != "lop,ripple" {
		t.Fatalf("after the default timeout: %v", strs(rs))
	}
	// A graceful shutdown waits (up to shutdownTimeout) for running
	// requests and fails otherwise: a clean exit shows the timed-out
	// traversals really stopped.
	s.stop()
	s2.stop()
}

// TestGremlinGoConcurrentWriters writes from several connections at once
// (sessionless requests, each its own transaction, retried on conflict):
// every write lands exactly once.
func TestGremlinGoConcurrentWriters(t *testing.T) {
	s := startServer(t, testdata("e2e.yaml"))
	const writers, each = 4, 50
	sources := make([]*gremlingo.GraphTraversalSource, writers)
	for i := range sources {
		sources[i] = s.traversal("g")
	}
	if err := <-sources[0].AddV("hub").Property("name", "hub").Iterate(); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, writers)
	for w := 0; w < writers; w++ {
		go func(g *gremlingo.GraphTraversalSource, w int) {
			for i := 0; i < each; i++ {
				// Every write also adds an edge to the same hub vertex.
				err := <-g.AddV("spoke").Property("w", int32(w)).Property("i", int32(i)).As("s").
					V().Has("hub", "name", "hub").AddE("to").From("s").Iterate()
				if err != nil {
					errs <- fmt.Errorf("writer %d, write %d: %w", w, i, err)
					return
				}
			}
			errs <- nil
		}(sources[w], w)
	}
	for w := 0; w < writers; w++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	g := s.traversal("g")
	if n, err := g.V().HasLabel("spoke").Count().Next(); err != nil || toInt64(t, n) != writers*each {
		t.Fatalf("%v spokes (%v), want %d", n, err, writers*each)
	}
	if n, err := g.V().Has("hub", "name", "hub").In("to").Dedup().Count().Next(); err != nil || toInt64(t, n) != writers*each {
		t.Fatalf("%v distinct spokes reach the hub (%v), want %d", n, err, writers*each)
	}
	if n, err := g.E().Count().Next(); err != nil || toInt64(t, n) != writers*each {
		t.Fatalf("%v edges (%v), want %d", n, err, writers*each)
	}
}

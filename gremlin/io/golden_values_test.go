package io

import (
	"math/big"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// captured returns the decoded request of the capture whose name ends in
// suffix (e.g. "01-bytecode_basic.bin").
func captured(t *testing.T, client, name string) *Request {
	t.Helper()
	req, _ := decodeCapture(t, filepath.Join("testdata", client, name), MimeGraphSONv3)
	return req
}

func TestGremlinGoCaptureValues(t *testing.T) {
	const c = "gremlin-go"
	aliasesG := strMap("g", "g")

	req := captured(t, c, "01-bytecode_basic.bin")
	want := &value.Bytecode{Steps: []value.Instruction{
		{Operator: "V", Args: []any{}},
		{Operator: "has", Args: []any{"person", "name", "marko"}},
		{Operator: "out", Args: []any{"knows"}},
		{Operator: "values", Args: []any{"name"}},
	}}
	if req.Op != "bytecode" || req.Processor != "traversal" || !reflect.DeepEqual(req.Args["gremlin"], want) ||
		!reflect.DeepEqual(req.Args["aliases"], aliasesG) {
		t.Errorf("bytecode_basic decoded to %s", describeRequest(req, fixedIDs))
	}

	req = captured(t, c, "02-bytecode_numbers.bin")
	args := req.Args["gremlin"].(*value.Bytecode).Steps[0].Args
	wantArgs := []any{int32(1), int32(2), int16(3), int8(4), float32(1.5), 2.25, big.NewInt(-129),
		value.BigDecimal{Unscaled: big.NewInt(12345), Scale: 2}, true, "s", nil}
	if len(args) != len(wantArgs) {
		t.Fatalf("numbers: %d args, want %d", len(args), len(wantArgs))
	}
	for i := range args {
		if !equalValues(args[i], wantArgs[i]) {
			t.Errorf("numbers arg %d = %#v, want %#v", i, args[i], wantArgs[i])
		}
	}

	req = captured(t, c, "03-bytecode_types.bin")
	args = req.Args["gremlin"].(*value.Bytecode).Steps[0].Args
	if args[0] != uuid.MustParse("00112233-4455-6677-8899-aabbccddeeff") {
		t.Errorf("uuid arg = %v", args[0])
	}
	if ts, ok := args[1].(time.Time); !ok || !ts.Equal(time.Date(2023, 8, 8, 10, 15, 30, 0, time.UTC)) || ts.Location() == time.UTC {
		t.Errorf("time arg = %#v, want an OffsetDateTime 2023-08-08T10:15:30Z", args[1])
	}
	if args[2] != 90*time.Second {
		t.Errorf("duration arg = %v", args[2])
	}

	req = captured(t, c, "10-eval_options.bin")
	if req.RequestID != uuid.MustParse("00112233-4455-6677-8899-aabbccddeeff") || req.Op != "eval" ||
		req.Args["gremlin"] != "g.V().limit(n)" || req.Args["batchSize"] != int64(16) {
		t.Errorf("eval_options decoded to %s", describeRequest(req, fixedIDs))
	}
	if n, ok := req.IntArg("evaluationTimeout"); !ok || n != 1000 {
		t.Errorf("evaluationTimeout = %v %v", n, ok)
	}
	if b, err := req.StringMap("bindings"); err != nil || b["n"] != int64(5) {
		t.Errorf("bindings = %v %v", b, err)
	}

	req = captured(t, c, "12-session_eval.bin")
	if s, _ := req.StringArg("session"); req.Op != "close" || req.Processor != "session" || s != "6f1e1b2a-1111-4222-8333-944455556666" {
		t.Errorf("session close decoded to %s", describeRequest(req, fixedIDs))
	}

	req = captured(t, c, "14-tx.bin")
	commit := &value.Bytecode{Sources: []value.Instruction{{Operator: "tx", Args: []any{"commit"}}}}
	if req.Processor != "session" || !reflect.DeepEqual(req.Args["gremlin"], commit) {
		t.Errorf("tx commit decoded to %s", describeRequest(req, fixedIDs))
	}
}

// The same scenarios from npm gremlin 3.8.2 decode to the same values in
// all three formats it speaks.
func TestNpmCaptureValues(t *testing.T) {
	basic := &value.Bytecode{Steps: []value.Instruction{
		{Operator: "V", Args: []any{}},
		{Operator: "has", Args: []any{"person", "name", "marko"}},
		{Operator: "out", Args: []any{"knows"}},
		{Operator: "values", Args: []any{"name"}},
	}}
	commit := &value.Bytecode{Sources: []value.Instruction{{Operator: "tx", Args: []any{"commit"}}}}
	for _, c := range []string{"npm-graphbinary", "npm-graphson3", "npm-graphson2"} {
		t.Run(c, func(t *testing.T) {
			req := captured(t, c, "01-bytecode_basic.bin")
			if req.Op != "bytecode" || req.Processor != "traversal" || !reflect.DeepEqual(req.Args["gremlin"], basic) {
				t.Errorf("bytecode_basic: %s", describeRequest(req, fixedIDs))
			}
			req = captured(t, c, "02-bytecode_types.bin")
			args := req.Args["gremlin"].(*value.Bytecode).Steps[0].Args
			want := []any{int32(1), 2.5, int32(-7), int64(5000000000), "str", true, nil}
			if !reflect.DeepEqual(args[:7], want) {
				t.Errorf("inject args = %#v, want %#v", args[:7], want)
			}
			if ts, ok := args[7].(time.Time); !ok || !ts.Equal(time.Date(2023, 8, 8, 10, 15, 30, 0, time.UTC)) {
				t.Errorf("date arg = %#v", args[7])
			}
			req = captured(t, c, "09-eval_options.bin")
			b, err := req.StringMap("bindings")
			if req.RequestID != uuid.MustParse("00112233-4455-6677-8899-aabbccddeeff") || err != nil || b["n"] != int32(5) {
				t.Errorf("eval_options: %s", describeRequest(req, fixedIDs))
			}
			if n, ok := req.IntArg("batchSize"); !ok || n != 16 {
				t.Errorf("batchSize = %v, %v", n, ok)
			}
			req = captured(t, c, "11-session_eval.bin")
			if s, _ := req.StringArg("session"); req.Op != "close" || s != "6f1e1b2a-1111-4222-8333-944455556666" {
				t.Errorf("session close: %s", describeRequest(req, fixedIDs))
			}
			req = captured(t, c, "13-tx.bin")
			if req.Processor != "session" || !reflect.DeepEqual(req.Args["gremlin"], commit) {
				t.Errorf("tx commit: %s", describeRequest(req, fixedIDs))
			}
		})
	}
}

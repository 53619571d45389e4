package io

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// seedCaptures adds every captured payload of the given kind as a seed.
func seedCaptures(f *testing.F, wantBinary bool) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "*", "*.bin"))
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		mime, payload, err := SplitBinaryFrame(raw)
		if err != nil {
			f.Fatal(err)
		}
		if strings.Contains(mime, "graphbinary") == wantBinary {
			f.Add(payload)
		}
	}
}

// watchdog crashes the fuzz worker if one input runs longer than 5 s, so
// the fuzzer records it (Go's fuzzer has no per-input timeout).
func watchdog(b []byte) (stop func()) {
	t := time.AfterFunc(5*time.Second, func() { panic(fmt.Sprintf("input of %d bytes ran over 5s: %x", len(b), b)) })
	return func() { t.Stop() }
}

// FuzzGraphBinaryRequest: decoding never panics, and whatever decodes
// re-encodes and decodes to the same request.
func FuzzGraphBinaryRequest(f *testing.F) {
	seedCaptures(f, true)
	gb := GraphBinary{}
	f.Fuzz(func(t *testing.T, b []byte) {
		defer watchdog(b)()
		req, err := gb.DecodeRequest(b)
		if err != nil {
			return
		}
		enc, err := gb.EncodeRequest(req)
		if err != nil {
			return // e.g. values the model holds but cannot re-encode are errors, not panics
		}
		again, err := gb.DecodeRequest(enc)
		if err != nil {
			t.Fatalf("re-encoded request does not decode: %v", err)
		}
		if describeRequest(again, nil) != describeRequest(req, nil) {
			t.Fatalf("round trip changed the request\n%s\n%s", describeRequest(req, nil), describeRequest(again, nil))
		}
	})
}

// FuzzGraphBinaryValue exercises every type reader on arbitrary bytes.
func FuzzGraphBinaryValue(f *testing.F) {
	for _, s := range sampleValues() {
		b, err := MarshalGraphBinary(s.v)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := UnmarshalGraphBinary(b)
		if err != nil {
			return
		}
		JavaString(v)
		if _, err := MarshalGraphSON(v, 3); err != nil {
			return
		}
		enc, err := MarshalGraphBinary(v)
		if err != nil {
			return
		}
		if _, err := UnmarshalGraphBinary(enc); err != nil {
			t.Fatalf("re-encoded value does not decode: %v", err)
		}
	})
}

// FuzzGraphBinaryResponse covers the response decoder (used by tests and
// client-side code).
func FuzzGraphBinaryResponse(f *testing.F) {
	b, _ := GraphBinary{}.EncodeResponse(&Response{Status: Status{Code: 200}, Result: Result{Data: []any{int32(1)}}})
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		GraphBinary{}.DecodeResponse(b)
	})
}

// FuzzGraphSONRequest: the GraphSON request decoders never panic, and
// decoded requests survive a round trip.
func FuzzGraphSONRequest(f *testing.F) {
	seedCaptures(f, false)
	f.Add([]byte(`{"requestId":"41d2e28a-20a4-4ab0-b379-d810dede3786","op":"eval","args":{"gremlin":"g.V()","bindings":{"x":1}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, s := range []GraphSON{{Version: 3}, {Version: 2}} {
			req, err := s.DecodeRequest(b)
			if err != nil {
				continue
			}
			enc, err := s.EncodeRequest(req)
			if err != nil {
				continue
			}
			if _, err := s.DecodeRequest(enc); err != nil {
				t.Fatalf("v%d: re-encoded request does not decode: %v\n%s", s.Version, err, enc)
			}
		}
	})
}

// FuzzGraphSONValue exercises every typed GraphSON reader.
func FuzzGraphSONValue(f *testing.F) {
	for _, s := range sampleValues() {
		b, err := MarshalGraphSON(s.v, 3)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := UnmarshalGraphSON(b, 3)
		if err != nil {
			return
		}
		JavaString(v)
		if _, err := MarshalGraphBinary(v); err != nil {
			return
		}
	})
}

package io

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var rewrite = flag.Bool("rewrite", false, "rewrite golden files from the current decoders")

// fixedIDs are the ids the capture scenarios set on purpose (see
// tests/capture/goclient.go and npm_capture.js).
var fixedIDs = map[string]bool{
	"00112233-4455-6677-8899-aabbccddeeff": true,
	"6f1e1b2a-1111-4222-8333-944455556666": true,
}

// captureFiles lists the captured frames of one client.
func captureFiles(t testing.TB, client string) []string {
	files, err := filepath.Glob(filepath.Join("testdata", client, "*.bin"))
	if err != nil {
		t.Fatal(err)
	}
	js, _ := filepath.Glob(filepath.Join("testdata", client, "*.json"))
	files = append(files, js...)
	if len(files) == 0 {
		t.Fatalf("no captures in testdata/%s (run tests/capture)", client)
	}
	return files
}

// decodeCapture decodes one captured frame with the serializer its mime
// (binary) or GraphSON v3 (text) selects.
func decodeCapture(t testing.TB, path string, textMime string) (*Request, Serializer) {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	mime, payload := textMime, raw
	if strings.HasSuffix(path, ".bin") {
		if mime, payload, err = SplitBinaryFrame(raw); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	ser, ok := ForMime(mime)
	if !ok {
		t.Fatalf("%s: no serializer for %q", path, mime)
	}
	req, err := ser.DecodeRequest(payload)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return req, ser
}

// TestGoldenCaptures decodes every captured request and compares its
// typed dump with the reviewed .golden file next to it.
func TestGoldenCaptures(t *testing.T) {
	for _, client := range captureClients {
		for _, path := range captureFiles(t, client.dir) {
			t.Run(filepath.Base(client.dir)+"/"+filepath.Base(path), func(t *testing.T) {
				req, ser := decodeCapture(t, path, client.textMime)
				got := describeRequest(req, fixedIDs)
				golden := strings.TrimSuffix(path, filepath.Ext(path)) + ".golden"
				if *rewrite {
					if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run with -rewrite)", err)
				}
				if got != string(want) {
					t.Errorf("decoded request differs from %s\n got:\n%s\nwant:\n%s", golden, got, want)
				}
				// Re-encoding and decoding again gives the same request.
				b, err := ser.EncodeRequest(req)
				if err != nil {
					t.Fatalf("re-encode: %v", err)
				}
				again, err := ser.DecodeRequest(b)
				if err != nil {
					t.Fatalf("decode re-encoded: %v", err)
				}
				if d := describeRequest(again, fixedIDs); d != got {
					t.Errorf("re-encoded request differs\n got:\n%s\nwant:\n%s", d, got)
				}
			})
		}
	}
}

type captureClient struct {
	dir      string
	textMime string // mime of text frames, which carry no prefix
}

var captureClients = []captureClient{
	{dir: "gremlin-go", textMime: MimeGraphSONv3},
	{dir: "npm-graphbinary", textMime: MimeGraphSONv3},
	{dir: "npm-graphson3", textMime: MimeGraphSONv3},
	{dir: "npm-graphson2", textMime: MimeGraphSONv2},
}

package io

import "strings"

// Mime types of the serializers in this package.
const (
	MimeGraphBinary        = "application/vnd.graphbinary-v1.0"
	MimeGraphBinaryStringd = "application/vnd.graphbinary-v1.0-stringd"
	MimeGraphSONv3         = "application/vnd.gremlin-v3.0+json"
	MimeGraphSONv2         = "application/vnd.gremlin-v2.0+json"
	MimeJSON               = "application/json"
)

// Serializer converts protocol messages to and from one wire format.
// Binary formats work on the payload after the frame's mime prefix.
// Implementations are stateless and safe for concurrent use.
type Serializer interface {
	// MimeType is the mime type the serializer answers to.
	MimeType() string
	// Binary reports whether messages travel as WebSocket binary frames
	// (GraphBinary) rather than text frames (GraphSON).
	Binary() bool
	DecodeRequest(payload []byte) (*Request, error)
	EncodeRequest(*Request) ([]byte, error)
	DecodeResponse(payload []byte) (*Response, error)
	EncodeResponse(*Response) ([]byte, error)
}

// Registry maps mime types to serializers.
type Registry struct {
	byMime map[string]Serializer
	def    Serializer
}

// NewRegistry returns a registry holding every serializer of this package;
// GraphBinary is the default.
func NewRegistry() *Registry {
	gb := GraphBinary{}
	r := &Registry{byMime: map[string]Serializer{}, def: gb}
	r.Register(gb)
	r.Register(GraphBinaryStringd{})
	r.Register(GraphSON{Version: 3})
	r.Register(GraphSON{Version: 2})
	r.Register(GraphSON{Version: 3, Mime: MimeJSON})
	return r
}

// Register adds s under its mime type, replacing any previous one.
func (r *Registry) Register(s Serializer) { r.byMime[normalizeMime(s.MimeType())] = s }

// ForMime returns the serializer for a mime type. Parameters other than
// GraphSON's types=false are ignored ("application/json; charset=utf-8").
func (r *Registry) ForMime(mime string) (Serializer, bool) {
	s, ok := r.byMime[normalizeMime(mime)]
	return s, ok
}

// Default returns the default serializer (GraphBinary).
func (r *Registry) Default() Serializer { return r.def }

// ForMime returns the serializer for a mime type from a fresh default
// registry (see NewRegistry).
func ForMime(mime string) (Serializer, bool) { return NewRegistry().ForMime(mime) }

// Default returns the GraphBinary serializer.
func Default() Serializer { return GraphBinary{} }

func normalizeMime(m string) string {
	m = strings.ToLower(strings.TrimSpace(m))
	base, params, _ := strings.Cut(m, ";")
	base = strings.TrimSpace(base)
	for _, p := range strings.Split(params, ";") {
		if strings.ReplaceAll(strings.TrimSpace(p), " ", "") == "types=false" {
			return base + ";types=false"
		}
	}
	return base
}

package io

import (
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/kvtgraph/kvtgraph/storage/value"
)

// GraphSON is the typed GraphSON serializer. Version 3 is
// application/vnd.gremlin-v3.0+json (also served as application/json);
// version 2 is application/vnd.gremlin-v2.0+json, where lists, sets and
// maps are plain JSON arrays and objects and BulkSet is expanded.
// Mime overrides the mime type reported (e.g. MimeJSON).
type GraphSON struct {
	Version int
	Mime    string
}

var _ Serializer = GraphSON{}

// MimeType implements Serializer.
func (s GraphSON) MimeType() string {
	switch {
	case s.Mime != "":
		return s.Mime
	case s.Version == 2:
		return MimeGraphSONv2
	}
	return MimeGraphSONv3
}

// Binary implements Serializer: GraphSON travels in text frames.
func (GraphSON) Binary() bool { return false }

func (s GraphSON) version() int {
	if s.Version == 2 {
		return 2
	}
	return 3
}

func (s GraphSON) fail(format string, args ...any) error {
	return &DecodeError{Format: fmt.Sprintf("GraphSON v%d", s.version()), Offset: -1, Msg: fmt.Sprintf(format, args...), Kind: ErrMalformed}
}

// DecodeRequest decodes {"requestId":..., "op":..., "processor":...,
// "args":{...}}. requestId may be a plain string or a g:UUID; args may be
// a plain object or a g:Map, with typed or untyped values.
func (s GraphSON) DecodeRequest(payload []byte) (*Request, error) {
	j, err := parseJSON(payload, s.version())
	if err != nil {
		return nil, err
	}
	o, ok := j.(map[string]any)
	if !ok {
		return nil, s.fail("request must be a JSON object, got %T", j)
	}
	r := &gsReader{version: s.version()}
	req := &Request{}
	if req.RequestID, err = s.readUUID(r, o["requestId"], "requestId"); err != nil {
		return nil, err
	}
	if req.Op, ok = o["op"].(string); !ok {
		return nil, s.fail("request op must be a string, got %T", o["op"])
	}
	if p, present := o["processor"]; present && p != nil {
		if req.Processor, ok = p.(string); !ok {
			return nil, s.fail("request processor must be a string, got %T", p)
		}
	}
	if req.Args, err = s.readArgs(r, o["args"], "args"); err != nil {
		return nil, err
	}
	return req, nil
}

func (s GraphSON) readUUID(r *gsReader, j any, what string) (uuid.UUID, error) {
	if j == nil {
		return uuid.Nil, nil
	}
	v, err := r.read(j)
	if err != nil {
		return uuid.Nil, err
	}
	switch x := v.(type) {
	case uuid.UUID:
		return x, nil
	case string:
		u, err := uuid.Parse(x)
		if err != nil {
			return uuid.Nil, s.fail("%s %q is not a UUID", what, x)
		}
		return u, nil
	}
	return uuid.Nil, s.fail("%s must be a UUID, got %T", what, v)
}

// readArgs reads a string-keyed map given as a plain object or a g:Map.
func (s GraphSON) readArgs(r *gsReader, j any, what string) (map[string]any, error) {
	out := map[string]any{}
	if j == nil {
		return out, nil
	}
	v, err := r.read(j)
	if err != nil {
		return nil, err
	}
	m, ok := v.(*value.Map)
	if !ok {
		return nil, s.fail("%s must be an object, got %T", what, v)
	}
	for _, e := range m.Entries() {
		k, ok := e.Key.(string)
		if !ok {
			return nil, s.fail("%s key must be a string, got %T", what, e.Key)
		}
		out[k] = e.Value
	}
	return out, nil
}

// EncodeRequest implements Serializer (requestId as a g:UUID, args as an
// object with typed values, as the JavaScript driver sends them).
func (s GraphSON) EncodeRequest(req *Request) ([]byte, error) {
	w := &gsWriter{version: s.version()}
	err := w.obj(
		field{"requestId", w.val(req.RequestID)},
		field{"op", w.strVal(req.Op)},
		field{"processor", w.strVal(req.Processor)},
		field{"args", func() error {
			w.raw("{")
			for i, k := range sortedKeys(req.Args) {
				if i > 0 {
					w.raw(",")
				}
				w.str(k)
				w.raw(":")
				if err := w.write(req.Args[k]); err != nil {
					return err
				}
			}
			w.raw("}")
			return nil
		}},
	)
	if err != nil {
		return nil, err
	}
	return w.buf, nil
}

// EncodeResponse writes the response as Gremlin Server does: requestId as
// a plain string (null for uuid.Nil), attributes and meta as maps (g:Map
// in v3), data typed.
func (s GraphSON) EncodeResponse(resp *Response) ([]byte, error) {
	w := &gsWriter{version: s.version()}
	strMap := func(m map[string]any) func() error {
		return func() error {
			mm := value.NewMap()
			for _, k := range sortedKeys(m) {
				mm.Put(k, m[k])
			}
			return w.mapValue(mm)
		}
	}
	err := w.obj(
		field{"requestId", func() error {
			if resp.RequestID == uuid.Nil {
				w.raw("null")
			} else {
				w.str(resp.RequestID.String())
			}
			return nil
		}},
		field{"status", func() error {
			return w.obj(field{"message", w.strVal(resp.Status.Message)},
				field{"code", func() error { w.raw(fmt.Sprint(resp.Status.Code)); return nil }},
				field{"attributes", strMap(resp.Status.Attributes)})
		}},
		field{"result", func() error {
			return w.obj(field{"data", w.val(resp.Result.Data)}, field{"meta", strMap(resp.Result.Meta)})
		}},
	)
	if err != nil {
		return nil, err
	}
	return w.buf, nil
}

// DecodeResponse implements Serializer.
func (s GraphSON) DecodeResponse(payload []byte) (*Response, error) {
	j, err := parseJSON(payload, s.version())
	if err != nil {
		return nil, err
	}
	o, ok := j.(map[string]any)
	if !ok {
		return nil, s.fail("response must be a JSON object, got %T", j)
	}
	r := &gsReader{version: s.version()}
	resp := &Response{}
	if resp.RequestID, err = s.readUUID(r, o["requestId"], "requestId"); err != nil {
		return nil, err
	}
	status, ok := o["status"].(map[string]any)
	if !ok {
		return nil, s.fail("response status must be an object")
	}
	code, ok := status["code"].(json.Number)
	if !ok {
		return nil, s.fail("response status code must be a number")
	}
	c, err := code.Int64()
	if err != nil || c < 0 || c > 999 {
		return nil, s.fail("response status code %q is not a status", code)
	}
	resp.Status.Code = int(c)
	resp.Status.Message, _ = status["message"].(string)
	if resp.Status.Attributes, err = s.readArgs(r, status["attributes"], "status attributes"); err != nil {
		return nil, err
	}
	result, ok := o["result"].(map[string]any)
	if !ok {
		return nil, s.fail("response result must be an object")
	}
	if resp.Result.Meta, err = s.readArgs(r, result["meta"], "result meta"); err != nil {
		return nil, err
	}
	if resp.Result.Data, err = r.read(result["data"]); err != nil {
		return nil, err
	}
	return resp, nil
}

// MarshalGraphSON encodes one typed value in GraphSON version 2 or 3.
func MarshalGraphSON(v any, version int) ([]byte, error) {
	w := &gsWriter{version: GraphSON{Version: version}.version()}
	if err := w.write(v); err != nil {
		return nil, err
	}
	return w.buf, nil
}

// UnmarshalGraphSON decodes one GraphSON value (typed or untyped JSON).
func UnmarshalGraphSON(text []byte, version int) (any, error) {
	ver := GraphSON{Version: version}.version()
	j, err := parseJSON(text, ver)
	if err != nil {
		return nil, err
	}
	return (&gsReader{version: ver}).read(j)
}

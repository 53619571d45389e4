package io

import (
	"github.com/google/uuid"
)

// gbVersion is the first byte of every GraphBinary v1 message.
const gbVersion byte = 0x81

// GraphBinary is the GraphBinary v1 serializer
// (application/vnd.graphbinary-v1.0).
type GraphBinary struct{}

var _ Serializer = GraphBinary{}

// MimeType implements Serializer.
func (GraphBinary) MimeType() string { return MimeGraphBinary }

// Binary implements Serializer.
func (GraphBinary) Binary() bool { return true }

// DecodeRequest decodes {0x81}{uuid}{op}{processor}{args}. The args map
// must have String keys. Bytes after the args are ignored, as Gremlin
// Server does.
func (GraphBinary) DecodeRequest(payload []byte) (*Request, error) {
	r := &gbReader{b: payload}
	if err := r.version(); err != nil {
		return nil, err
	}
	id, err := r.uuid("request id")
	if err != nil {
		return nil, err
	}
	op, err := r.str("op")
	if err != nil {
		return nil, err
	}
	proc, err := r.str("processor")
	if err != nil {
		return nil, err
	}
	args, err := r.stringMap("args")
	if err != nil {
		return nil, err
	}
	return &Request{RequestID: id, Op: op, Processor: proc, Args: args}, nil
}

// EncodeRequest encodes a request payload (without the frame prefix; see
// BuildBinaryFrame). Args are written in key order.
func (GraphBinary) EncodeRequest(req *Request) ([]byte, error) {
	w := &gbWriter{buf: make([]byte, 0, 256)}
	w.u8(gbVersion)
	w.uuid(req.RequestID)
	if err := w.str(req.Op); err != nil {
		return nil, err
	}
	if err := w.str(req.Processor); err != nil {
		return nil, err
	}
	if err := w.stringMapBody(req.Args); err != nil {
		return nil, err
	}
	return w.buf, nil
}

// EncodeResponse encodes {0x81}{nullable uuid}{code}{nullable message}
// {attributes}{meta}{fully qualified data}.
func (GraphBinary) EncodeResponse(resp *Response) ([]byte, error) {
	w := &gbWriter{buf: make([]byte, 0, 256)}
	w.u8(gbVersion)
	if resp.RequestID == uuid.Nil {
		w.u8(1)
	} else {
		w.u8(0)
		w.uuid(resp.RequestID)
	}
	w.i32(int32(resp.Status.Code))
	w.u8(0)
	if err := w.str(resp.Status.Message); err != nil {
		return nil, err
	}
	if err := w.stringMapBody(resp.Status.Attributes); err != nil {
		return nil, err
	}
	if err := w.stringMapBody(resp.Result.Meta); err != nil {
		return nil, err
	}
	if err := w.write(resp.Result.Data); err != nil {
		return nil, err
	}
	return w.buf, nil
}

// DecodeResponse decodes a response payload. A null request id gives
// uuid.Nil and a null message "".
func (GraphBinary) DecodeResponse(payload []byte) (*Response, error) {
	r := &gbReader{b: payload}
	if err := r.version(); err != nil {
		return nil, err
	}
	resp := &Response{}
	flag, err := r.u8("request id flag")
	if err != nil {
		return nil, err
	}
	if flag&1 == 0 {
		if resp.RequestID, err = r.uuid("request id"); err != nil {
			return nil, err
		}
	}
	code, err := r.i32("status code")
	if err != nil {
		return nil, err
	}
	resp.Status.Code = int(code)
	if flag, err = r.u8("status message flag"); err != nil {
		return nil, err
	}
	if flag&1 == 0 {
		if resp.Status.Message, err = r.str("status message"); err != nil {
			return nil, err
		}
	}
	if resp.Status.Attributes, err = r.stringMap("status attributes"); err != nil {
		return nil, err
	}
	if resp.Result.Meta, err = r.stringMap("result meta"); err != nil {
		return nil, err
	}
	if resp.Result.Data, err = r.read(); err != nil {
		return nil, err
	}
	return resp, nil
}

func (r *gbReader) version() error {
	v, err := r.u8("version")
	if err != nil {
		return err
	}
	if v != gbVersion {
		return r.fail("version byte is 0x%02x, expected 0x81 (did the frame keep its mime prefix?)", v)
	}
	return nil
}

// stringMap reads an unqualified Map whose keys must be Strings.
func (r *gbReader) stringMap(what string) (map[string]any, error) {
	n, err := r.count(what, 4)
	if err != nil {
		return nil, err
	}
	out := make(map[string]any, n)
	for i := 0; i < n; i++ {
		k, err := r.read()
		if err != nil {
			return nil, err
		}
		ks, ok := k.(string)
		if !ok {
			return nil, r.fail("%s key must be a String, got %T", what, k)
		}
		v, err := r.read()
		if err != nil {
			return nil, err
		}
		out[ks] = v
	}
	return out, nil
}

// MarshalGraphBinary encodes one value fully qualified
// ({type_code}{value_flag}{value}).
func MarshalGraphBinary(v any) ([]byte, error) {
	w := &gbWriter{}
	if err := w.write(v); err != nil {
		return nil, err
	}
	return w.buf, nil
}

// UnmarshalGraphBinary decodes one fully qualified value and reports an
// error if bytes remain after it.
func UnmarshalGraphBinary(b []byte) (any, error) {
	r := &gbReader{b: b}
	v, err := r.read()
	if err != nil {
		return nil, err
	}
	if r.remaining() != 0 {
		return nil, r.fail("%d bytes left after the value", r.remaining())
	}
	return v, nil
}

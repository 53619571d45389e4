package io

// GraphBinaryStringd is the serializer the Gremlin Console uses
// (application/vnd.graphbinary-v1.0-stringd): requests are GraphBinary,
// and a response's result data is replaced by its Java toString() form,
// as Gremlin Server does: null data becomes "null", a list becomes a list
// of strings (one per item), anything else one string.
type GraphBinaryStringd struct{}

var _ Serializer = GraphBinaryStringd{}

// MimeType implements Serializer.
func (GraphBinaryStringd) MimeType() string { return MimeGraphBinaryStringd }

// Binary implements Serializer.
func (GraphBinaryStringd) Binary() bool { return true }

// DecodeRequest implements Serializer; requests are plain GraphBinary.
func (GraphBinaryStringd) DecodeRequest(payload []byte) (*Request, error) {
	return GraphBinary{}.DecodeRequest(payload)
}

// EncodeRequest implements Serializer.
func (GraphBinaryStringd) EncodeRequest(req *Request) ([]byte, error) {
	return GraphBinary{}.EncodeRequest(req)
}

// EncodeResponse implements Serializer.
func (GraphBinaryStringd) EncodeResponse(resp *Response) ([]byte, error) {
	out := *resp
	out.Result.Data = stringdData(resp.Result.Data)
	return GraphBinary{}.EncodeResponse(&out)
}

// DecodeResponse implements Serializer.
func (GraphBinaryStringd) DecodeResponse(payload []byte) (*Response, error) {
	return GraphBinary{}.DecodeResponse(payload)
}

func stringdData(data any) any {
	switch d := data.(type) {
	case nil:
		return "null"
	case []any:
		out := make([]any, len(d))
		for i, it := range d {
			out[i] = JavaString(it)
		}
		return out
	}
	return JavaString(data)
}

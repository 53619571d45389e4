package io

import "fmt"

// SplitBinaryFrame splits a WebSocket binary request frame,
// [mime length byte][mime][payload], into the mime type and the payload.
// The payload aliases frame.
func SplitBinaryFrame(frame []byte) (mime string, payload []byte, err error) {
	if len(frame) == 0 {
		return "", nil, &DecodeError{Format: "frame", Offset: 0, Msg: "empty frame, expected [mime length][mime][payload]", Kind: ErrMalformed}
	}
	n := int(frame[0])
	if n == 0 || 1+n > len(frame) {
		return "", nil, &DecodeError{Format: "frame", Offset: 0,
			Msg: fmt.Sprintf("mime length byte is %d but the frame has %d bytes after it", n, len(frame)-1), Kind: ErrMalformed}
	}
	return string(frame[1 : 1+n]), frame[1+n:], nil
}

// BuildBinaryFrame prefixes payload with [len(mime)][mime], as clients do
// for binary request frames. mime must be 1..255 bytes.
func BuildBinaryFrame(mime string, payload []byte) ([]byte, error) {
	if len(mime) == 0 || len(mime) > 255 {
		return nil, fmt.Errorf("frame: mime type must be 1..255 bytes, got %d", len(mime))
	}
	out := make([]byte, 0, 1+len(mime)+len(payload))
	out = append(out, byte(len(mime)))
	out = append(out, mime...)
	return append(out, payload...), nil
}

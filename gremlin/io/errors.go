package io

import (
	"errors"
	"fmt"
)

// ErrMalformed is matched (errors.Is) by every error caused by bytes or
// text that do not follow the format.
var ErrMalformed = errors.New("malformed message")

// ErrUnsupported is matched by errors for values that the format can
// describe but kvtgraph cannot represent, or Go values a format cannot
// encode.
var ErrUnsupported = errors.New("unsupported value")

// DecodeError reports where decoding failed.
type DecodeError struct {
	Format string // "GraphBinary", "GraphSON v3", ...
	Offset int    // byte offset into the payload, -1 when unknown
	Msg    string
	Kind   error // ErrMalformed or ErrUnsupported
}

func (e *DecodeError) Error() string {
	if e.Offset >= 0 {
		return fmt.Sprintf("%s: %s (at byte %d)", e.Format, e.Msg, e.Offset)
	}
	return fmt.Sprintf("%s: %s", e.Format, e.Msg)
}

// Unwrap lets errors.Is match ErrMalformed or ErrUnsupported.
func (e *DecodeError) Unwrap() error { return e.Kind }

// EncodeError reports a value that cannot be written.
type EncodeError struct {
	Format string
	Msg    string
}

func (e *EncodeError) Error() string { return e.Format + ": cannot encode: " + e.Msg }

// Unwrap makes every EncodeError match ErrUnsupported.
func (e *EncodeError) Unwrap() error { return ErrUnsupported }

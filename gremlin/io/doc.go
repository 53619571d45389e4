// Package io encodes and decodes the messages of the Gremlin Server 3.x
// protocol in every format real TinkerPop clients speak:
//
//	application/vnd.graphbinary-v1.0          GraphBinary v1 (gremlin-go, npm gremlin)
//	application/vnd.graphbinary-v1.0-stringd  GraphBinary requests, results as Java toString() strings (Console)
//	application/vnd.gremlin-v3.0+json         GraphSON v3 (also served for application/json)
//	application/vnd.gremlin-v2.0+json         GraphSON v2
//
// Values travel as the Go types of storage/value (see that package's
// table). A Serializer turns a *Request or *Response into bytes and back;
// ForMime picks one by mime type, Default returns GraphBinary.
//
// # Framing
//
// A WebSocket binary request frame is [mime length byte][mime][payload].
// SplitBinaryFrame and BuildBinaryFrame handle that prefix; the Serializer
// methods work on the payload only. Responses carry no prefix.
//
// # Dates
//
// Gremlin has two date types and Go has one, so the time.Time location
// decides: a time whose Location is exactly time.UTC is a Date (GraphBinary
// 0x04, GraphSON g:Date, millisecond precision); any other location,
// including time.FixedZone("", 0), is an OffsetDateTime (GraphBinary 0x88,
// GraphSON gx:OffsetDateTime). Decoders follow the same rule, so both
// round-trip.
//
// # Client quirks seen in the captures (testdata/*)
//
//   - gremlin-go narrows int64 step arguments that fit into Int (g.Inject(int64(2))
//     arrives as Int 2) and sends time.Time as OffsetDateTime.
//   - npm gremlin sends GraphSON in binary frames with the mime prefix, writes plain
//     JSON numbers (decoded as Int, Long or Double, as Jackson would), writes
//     strategies as {"fqcn":..., "conf":{...}}, and in GraphSON v2 turns JS Maps
//     and Sets into {}.
//
// # Caveats
//
// Decoders never panic and never allocate more than the input can
// justify: every length prefix is checked against the bytes that remain.
// Decoded []byte values (ByteBuffer) are copies; the input may be reused.
package io

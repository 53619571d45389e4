package io

import "fmt"

// GraphBinary v1 type codes.
const (
	gbCustom           byte = 0x00
	gbInt              byte = 0x01
	gbLong             byte = 0x02
	gbString           byte = 0x03
	gbDate             byte = 0x04
	gbTimestamp        byte = 0x05
	gbClass            byte = 0x06
	gbDouble           byte = 0x07
	gbFloat            byte = 0x08
	gbList             byte = 0x09
	gbMap              byte = 0x0a
	gbSet              byte = 0x0b
	gbUUID             byte = 0x0c
	gbEdge             byte = 0x0d
	gbPath             byte = 0x0e
	gbProperty         byte = 0x0f
	gbGraph            byte = 0x10
	gbVertex           byte = 0x11
	gbVertexProperty   byte = 0x12
	gbBarrier          byte = 0x13
	gbBinding          byte = 0x14
	gbBytecode         byte = 0x15
	gbCardinality      byte = 0x16
	gbColumn           byte = 0x17
	gbDirection        byte = 0x18
	gbOperator         byte = 0x19
	gbOrder            byte = 0x1a
	gbPick             byte = 0x1b
	gbPop              byte = 0x1c
	gbLambda           byte = 0x1d
	gbP                byte = 0x1e
	gbScope            byte = 0x1f
	gbT                byte = 0x20
	gbTraverser        byte = 0x21
	gbBigDecimal       byte = 0x22
	gbBigInteger       byte = 0x23
	gbByte             byte = 0x24
	gbByteBuffer       byte = 0x25
	gbShort            byte = 0x26
	gbBoolean          byte = 0x27
	gbTextP            byte = 0x28
	gbStrategy         byte = 0x29
	gbBulkSet          byte = 0x2a
	gbTree             byte = 0x2b
	gbMetrics          byte = 0x2c
	gbTraversalMetrics byte = 0x2d
	gbMerge            byte = 0x2e
	gbDT               byte = 0x2f
	gbGType            byte = 0x30
	gbChar             byte = 0x80
	gbDuration         byte = 0x81
	gbOffsetDateTime   byte = 0x88
	gbUnspecifiedNull  byte = 0xfe
)

// gbEnumCodes maps each enum type code to value.Enum's Type name.
var gbEnumCodes = map[byte]string{
	gbBarrier:     "Barrier",
	gbCardinality: "Cardinality",
	gbColumn:      "Column",
	gbDirection:   "Direction",
	gbOperator:    "Operator",
	gbOrder:       "Order",
	gbPick:        "Pick",
	gbPop:         "Pop",
	gbScope:       "Scope",
	gbT:           "T",
	gbMerge:       "Merge",
	gbDT:          "DT",
	gbGType:       "GType",
}

// gbEnumTypes is the inverse of gbEnumCodes.
var gbEnumTypes = func() map[string]byte {
	m := make(map[string]byte, len(gbEnumCodes))
	for c, n := range gbEnumCodes {
		m[n] = c
	}
	return m
}()

var gbNames = map[byte]string{
	gbCustom: "Custom", gbInt: "Int", gbLong: "Long", gbString: "String", gbDate: "Date",
	gbTimestamp: "Timestamp", gbClass: "Class", gbDouble: "Double", gbFloat: "Float",
	gbList: "List", gbMap: "Map", gbSet: "Set", gbUUID: "UUID", gbEdge: "Edge", gbPath: "Path",
	gbProperty: "Property", gbGraph: "TinkerGraph", gbVertex: "Vertex",
	gbVertexProperty: "VertexProperty", gbBinding: "Binding", gbBytecode: "Bytecode",
	gbLambda: "Lambda", gbP: "P", gbTraverser: "Traverser", gbBigDecimal: "BigDecimal",
	gbBigInteger: "BigInteger", gbByte: "Byte", gbByteBuffer: "ByteBuffer", gbShort: "Short",
	gbBoolean: "Boolean", gbTextP: "TextP", gbStrategy: "TraversalStrategy", gbBulkSet: "BulkSet",
	gbTree: "Tree", gbMetrics: "Metrics", gbTraversalMetrics: "TraversalMetrics", gbChar: "Char",
	gbDuration: "Duration", 0x82: "InetAddress", 0x83: "Instant", 0x84: "LocalDate",
	0x85: "LocalDateTime", 0x86: "LocalTime", 0x87: "MonthDay", gbOffsetDateTime: "OffsetDateTime",
	0x89: "OffsetTime", 0x8a: "Period", 0x8b: "Year", 0x8c: "YearMonth", 0x8d: "ZonedDateTime",
	0x8e: "ZoneOffset", gbUnspecifiedNull: "unspecified null",
}

func gbTypeName(code byte) string {
	if n, ok := gbEnumCodes[code]; ok {
		return n
	}
	if n, ok := gbNames[code]; ok {
		return n
	}
	return fmt.Sprintf("unknown type 0x%02x", code)
}

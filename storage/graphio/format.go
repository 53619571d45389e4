package graphio

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// Format is a graph file format.
type Format int

const (
	// GraphSON is GraphSON v3 adjacency lines (one vertex per line).
	GraphSON Format = iota + 1
	// GraphML is GraphML XML.
	GraphML
)

// String returns "graphson" or "graphml".
func (f Format) String() string {
	switch f {
	case GraphSON:
		return "graphson"
	case GraphML:
		return "graphml"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// ParseFormat parses a format name as a command-line flag gives it:
// "graphson" (or "json") and "graphml" (or "xml"), in any case.
func ParseFormat(name string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "graphson", "json":
		return GraphSON, nil
	case "graphml", "xml":
		return GraphML, nil
	}
	return 0, fmt.Errorf("graphio: unknown format %q (want graphson or graphml)", name)
}

// FormatFromPath picks the format from a file name's extension: .json,
// .graphson, .jsonl and .ndjson are GraphSON; .xml and .graphml are GraphML.
func FormatFromPath(path string) (Format, error) {
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".json", ".graphson", ".jsonl", ".ndjson":
		return GraphSON, nil
	case ".xml", ".graphml":
		return GraphML, nil
	}
	if ext == "" {
		return 0, fmt.Errorf("graphio: cannot tell the format of %q: no file extension (want .json for GraphSON or .xml/.graphml for GraphML)", path)
	}
	return 0, fmt.Errorf("graphio: cannot tell the format of %q from extension %q (want .json for GraphSON or .xml/.graphml for GraphML)", path, ext)
}

// IDType selects how Load turns the ids it reads into vertex and edge ids.
type IDType int

const (
	// IDAsIs keeps ids as the file gives them: typed GraphSON ids with
	// their types, GraphML ids as strings (TinkerGraph's default).
	IDAsIs IDType = iota
	// IDString converts ids to their string form.
	IDString
	// IDInt32 parses or converts ids to int32 (Gremlin Integer).
	IDInt32
	// IDInt64 parses or converts ids to int64 (Gremlin Long).
	IDInt64
	// IDUUID parses ids as UUIDs.
	IDUUID
)

// String returns the name ParseIDType accepts.
func (t IDType) String() string {
	switch t {
	case IDAsIs:
		return "asis"
	case IDString:
		return "string"
	case IDInt32:
		return "int32"
	case IDInt64:
		return "int64"
	case IDUUID:
		return "uuid"
	}
	return fmt.Sprintf("IDType(%d)", int(t))
}

// ParseIDType parses "asis" (or ""), "string", "int32"/"int"/"integer",
// "int64"/"long" and "uuid".
func ParseIDType(name string) (IDType, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "asis", "as-is":
		return IDAsIs, nil
	case "string":
		return IDString, nil
	case "int32", "int", "integer":
		return IDInt32, nil
	case "int64", "long":
		return IDInt64, nil
	case "uuid":
		return IDUUID, nil
	}
	return 0, fmt.Errorf("graphio: unknown id type %q (want asis, string, int32, int64 or uuid)", name)
}

// DefaultBatchSize is the number of writes (a vertex, a vertex property, an
// edge each count one) Load puts in one transaction by default.
const DefaultBatchSize = 2000

// LoadOptions tune Load. The zero value is usable.
type LoadOptions struct {
	// Name names the input in error messages ("modern.json:3: ...");
	// "input" when empty.
	Name string
	// IDType converts vertex and edge ids; IDAsIs by default.
	IDType IDType
	// BatchSize is the most writes per transaction; DefaultBatchSize when
	// zero or negative. Load halves it when the store reports a
	// transaction too large.
	BatchSize int
	// Progress, when set, is called after every committed batch with the
	// totals loaded so far (and once more at the end).
	Progress func(vertices, edges int64)
	// VertexLabelKey and EdgeLabelKey are the GraphML key ids holding
	// labels; "labelV" and "labelE" when empty.
	VertexLabelKey string
	EdgeLabelKey   string
}

// Stats summarise a Load.
type Stats struct {
	Vertices         int64
	Edges            int64
	VertexProperties int64 // vertex property values, multi-properties counted each
	Transactions     int64 // transactions committed by Load (a store's bulk loader may split them further)
	Bytes            int64 // input bytes read
	Duration         time.Duration
}

// ParseError is a problem with the input: where it is and what was
// expected.
type ParseError struct {
	Name   string // input name (LoadOptions.Name)
	Line   int    // 1-based line; 0 when unknown
	Column int    // 1-based column; 0 when unknown
	Msg    string
	Err    error // underlying error, if any
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.Name)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

func (e *ParseError) Unwrap() error { return e.Err }

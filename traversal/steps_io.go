package traversal

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/graphio"
)

// g.io(file).read() loads a graph file into the traversal's graph, in the
// traversal's transaction; with(IO.reader, "graphson"|"graphml") picks the
// format, otherwise the file extension does (.json GraphSON, .xml/.graphml
// GraphML). Gryo (.kryo) is a Java serialization format kvtgraph does not
// read. write() is not supported.
//
// Files are read only from the directory of the Engine's Config.IORoot,
// and a path may not leave it; without one, io() fails.

type ioStep struct {
	stepBase
	file   string
	mode   string // "read" or "write"
	reader string
	writer string
}

func (r *stepSet) addIOSteps() {
	r.register("io", func(c *compiler, args []any) (step, error) {
		if len(args) != 1 {
			return nil, errorf("io", "expected a file name")
		}
		f, ok := args[0].(string)
		if !ok {
			return nil, errorf("io", "the file name must be a String, got %s", typeName(args[0]))
		}
		c.mutating = true
		return &ioStep{file: f}, nil
	})
}

func (s *ioStep) addWith(c *compiler, key string, val any) error {
	v, _ := val.(string)
	switch key {
	case "~tinkerpop.io.reader":
		s.reader = v
	case "~tinkerpop.io.writer":
		s.writer = v
	}
	return nil
}

// setMode records read()/write() on the io() step before it.
func (s *ioStep) setMode(op string) error {
	if op == "write" {
		return errorf("write", "io().write() is not supported")
	}
	s.mode = op
	return nil
}

// ioPath resolves name inside root, refusing paths that leave it.
func ioPath(root, name string) (string, error) {
	if root == "" {
		return "", errorf("io", "io() is not enabled on this server")
	}
	if name == "" || filepath.IsAbs(name) {
		return "", errorf("io", "the file must be a path relative to the server's io directory, got %q", name)
	}
	clean := filepath.Clean(filepath.FromSlash(name))
	if clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return "", errorf("io", "the file %q is outside the server's io directory", name)
	}
	return filepath.Join(root, clean), nil
}

func ioFormat(reader, file string) (graphio.Format, error) {
	switch strings.ToLower(reader) {
	case "graphson":
		return graphio.GraphSON, nil
	case "graphml":
		return graphio.GraphML, nil
	case "gryo":
		return 0, errorf("io", "the gryo format is not supported; use GraphSON or GraphML")
	case "":
	default:
		return 0, errorf("io", "unknown reader %q; expected graphson or graphml", reader)
	}
	if strings.HasSuffix(strings.ToLower(file), ".kryo") {
		return 0, errorf("io", "the gryo format (.kryo) is not supported; use GraphSON or GraphML")
	}
	f, err := graphio.FormatFromPath(file)
	if err != nil {
		return 0, errorf("io", "cannot tell the format of %q; use with(IO.reader, ...)", file)
	}
	return f, nil
}

func (s *ioStep) open(x *exec, in iter) iter {
	f := &flatMapStep{stepBase: s.stepBase, f: func(x *exec, t *trav) valIter {
		if s.mode != "read" {
			throwf("io", "io() must be followed by read()")
		}
		format, err := ioFormat(s.reader, s.file)
		if err != nil {
			throw(err)
		}
		path, err := ioPath(x.ioRoot, s.file)
		if err != nil {
			throw(err)
		}
		fh, err := os.Open(path)
		if err != nil {
			throwf("io", "cannot read %q: %v", s.file, err)
		}
		defer fh.Close()
		if _, err := graphio.Load(x.ctx, txStore{x.tx}, fh, format, graphio.LoadOptions{Name: s.file}); err != nil {
			throw(err)
		}
		return sliceVals(nil)
	}}
	return f.open(x, in)
}

// txStore presents the traversal's transaction as a store whose
// transactions are that one: the load commits with the traversal.
type txStore struct{ tx storage.GraphTx }

func (s txStore) Begin(context.Context, storage.TxOptions) (storage.GraphTx, error) {
	return nestedTx{s.tx}, nil
}
func (s txStore) Version() uint64 { return 0 }
func (s txStore) Close() error    { return nil }

// nestedTx leaves committing and rolling back to the enclosing transaction.
type nestedTx struct{ storage.GraphTx }

func (nestedTx) Commit() error   { return nil }
func (nestedTx) Rollback() error { return nil }

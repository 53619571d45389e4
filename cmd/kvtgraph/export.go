package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/kvtgraph/kvtgraph/conf"
	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/graphio"
)

// openGraphForRead opens a graph for export or check. An in-memory graph
// holds nothing until loaded, so its initial load (the load key of the
// configuration) runs first, as when the server starts.
func openGraphForRead(ctx context.Context, gc conf.GraphConfig, log *slog.Logger) (*storage.Graph, func() error, error) {
	g, closeGraph, err := openGraph(ctx, gc, log)
	if err != nil {
		return nil, nil, err
	}
	if gc.InMemory && gc.Load != "" {
		if err := loadIfEmpty(ctx, g, gc, log); err != nil {
			_ = closeGraph()
			return nil, nil, err
		}
	}
	return g, closeGraph, nil
}

func newExportCmd(gf *globalFlags) *cobra.Command {
	var graphName, format string
	var noProgress bool
	cmd := &cobra.Command{
		Use:   "export --graph NAME [FILE]",
		Short: "Write a graph as GraphSON (one vertex per line) or GraphML; to stdout without FILE",
		Long: "Write a graph, from one consistent snapshot, as GraphSON (one vertex per line with its edges,\n" +
			"as TinkerPop's GraphSONWriter) or GraphML, to FILE or to stdout. Progress and the summary go to\n" +
			"stderr.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			gc, log, err := commandGraph(cmd, gf, graphName)
			if err != nil {
				return err
			}
			var out io.Writer = cmd.OutOrStdout()
			dest := "stdout"
			f := graphio.GraphSON
			if len(args) == 1 && args[0] != "-" {
				if f, err = fileFormat(format, args[0]); err != nil {
					return err
				}
				dest = args[0]
			} else if format != "" {
				if f, err = graphio.ParseFormat(format); err != nil {
					return err
				}
			}
			ctx, stop := cmdContext()
			defer stop()
			g, closeGraph, err := openGraphForRead(ctx, gc, log)
			if err != nil {
				return err
			}
			defer func() {
				if cerr := closeGraph(); cerr != nil && err == nil {
					err = fmt.Errorf("closing graph %s: %w", graphName, cerr)
				}
			}()
			if dest != "stdout" {
				file, err := os.Create(dest)
				if err != nil {
					return err
				}
				defer file.Close()
				out = file
			}
			tx, err := g.Begin(ctx, storage.TxOptions{ReadOnly: true, Snapshot: true})
			if err != nil {
				return err
			}
			defer tx.Rollback()
			// Counts of the committed data: the command has the graph to
			// itself, so they are the snapshot's.
			st := g.Stats()
			stderr := cmd.ErrOrStderr()
			var bar *progressBar
			counter := &lineCountingWriter{w: out}
			if !noProgress {
				if f == graphio.GraphSON {
					// One line per vertex.
					bar = newProgressBar(stderr, "exporting "+graphName, st.Vertices)
					counter.notify = func(lines, _ int64) {
						bar.update(lines, fmt.Sprintf("%s of %s vertices", thousands(lines), thousands(st.Vertices)))
					}
				} else {
					bar = newProgressBar(stderr, "exporting "+graphName, 0)
				}
			}
			start := time.Now()
			if err := graphio.Export(ctx, tx, counter, f); err != nil {
				bar.finish()
				return err
			}
			bar.finish()
			if file, ok := out.(*os.File); ok && dest != "stdout" {
				if err := file.Close(); err != nil {
					return err
				}
			}
			elapsed := time.Since(start)
			fmt.Fprintf(stderr, "exported %s vertices, %s edges (%s, %s bytes) to %s in %s\n",
				thousands(st.Vertices), thousands(st.Edges), f, thousands(counter.bytes), dest, roundDuration(elapsed))
			return nil
		},
	}
	cmd.Flags().StringVarP(&graphName, "graph", "g", "graph", "graph to export")
	cmd.Flags().StringVar(&format, "format", "", "graphson or graphml (default: from the file extension, graphson on stdout)")
	cmd.Flags().BoolVar(&noProgress, "no-progress", false, "do not draw the progress bar")
	return cmd
}

package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/kvtgraph/kvtgraph/storage/graphio"
)

func newLoadCmd(gf *globalFlags) *cobra.Command {
	var graphName, format, idType string
	var batch int
	var noProgress bool
	cmd := &cobra.Command{
		Use:   "load --graph NAME FILE",
		Short: "Load a GraphSON (one vertex per line) or GraphML file into a graph",
		Long: "Load a GraphSON (one vertex per line, as TinkerPop's GraphSONWriter writes) or GraphML file into\n" +
			"a configured graph, in transactions of --batch writes. A progress bar goes to stderr, the summary\n" +
			"to stdout. Into an in-memory graph, the load only validates the file (the data goes when the\n" +
			"command exits).",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			gc, log, err := commandGraph(cmd, gf, graphName)
			if err != nil {
				return err
			}
			f, err := fileFormat(format, args[0])
			if err != nil {
				return err
			}
			if idType == "" {
				idType = gc.IDType
			}
			idt, err := graphio.ParseIDType(idType)
			if err != nil {
				return err
			}
			in, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer in.Close()
			var size int64
			if st, err := in.Stat(); err == nil && st.Mode().IsRegular() {
				size = st.Size()
			}
			stderr := cmd.ErrOrStderr()
			if gc.InMemory {
				fmt.Fprintf(stderr, "note: graph %s is in memory: the file is checked and loaded, then discarded when the command exits\n", graphName)
			}
			ctx, stop := cmdContext()
			defer stop()
			g, closeGraph, err := openGraph(ctx, gc, log)
			if err != nil {
				return err
			}
			counter := &countingReader{r: in}
			var bar *progressBar
			if !noProgress {
				bar = newProgressBar(stderr, "loading "+filepath.Base(args[0]), size)
			}
			start := time.Now()
			stats, err := graphio.Load(ctx, g, bufio.NewReaderSize(counter, 64<<10), f, graphio.LoadOptions{
				Name: args[0], IDType: idt, BatchSize: batch,
				Progress: func(v, e int64) {
					bar.update(counter.n.Load(), fmt.Sprintf("%s vertices, %s edges", thousands(v), thousands(e)))
				},
			})
			bar.finish()
			cerr := closeGraph()
			if err != nil {
				return err
			}
			if cerr != nil {
				return fmt.Errorf("closing graph %s: %w", graphName, cerr)
			}
			// The throughput includes the close (the final checkpoint of
			// a durable graph): the data is safely stored then.
			elapsed := time.Since(start)
			per, what := stats.Edges, "edges"
			if per == 0 {
				per, what = stats.Vertices, "vertices"
			}
			fmt.Fprintf(cmd.OutOrStdout(), "loaded %s vertices, %s edges in %s (%s %s/s) into graph %s\n",
				thousands(stats.Vertices), thousands(stats.Edges), roundDuration(elapsed), rate(per, elapsed), what, graphName)
			return nil
		},
	}
	cmd.Flags().StringVarP(&graphName, "graph", "g", "graph", "graph to load into")
	cmd.Flags().StringVar(&format, "format", "", "graphson or graphml (default: from the file extension)")
	cmd.Flags().StringVar(&idType, "id-type", "", "asis, string, int32, int64 or uuid (default: the graph's id_type)")
	cmd.Flags().IntVar(&batch, "batch", 0, "writes per transaction (default 2000)")
	cmd.Flags().BoolVar(&noProgress, "no-progress", false, "do not draw the progress bar")
	return cmd
}

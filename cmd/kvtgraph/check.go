package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/kvtgraph/kvtgraph/storage"
)

func newCheckCmd(gf *globalFlags) *cobra.Command {
	var graphName string
	cmd := &cobra.Command{
		Use:   "check --graph NAME",
		Short: "Verify a graph's storage: rows decode, adjacency is symmetric, indexes match the data",
		Long: "Verify a graph's storage in one snapshot: every row decodes, edge_out and edge_in are symmetric\n" +
			"and agree with the edges, no edge dangles, the label index and every index hold exactly the\n" +
			"entries the data implies, and the counts match. Prints the report; exits non-zero when it\n" +
			"finds a problem. Run it while no server has the graph open.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			gc, log, err := commandGraph(cmd, gf, graphName)
			if err != nil {
				return err
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
			start := time.Now()
			rep, err := storage.Check(ctx, g)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "graph %s: %s vertices, %s edges, %s index entries (checked in %s)\n", graphName,
				thousands(rep.Vertices), thousands(rep.Edges), thousands(rep.IndexEntries), roundDuration(time.Since(start)))
			for _, p := range rep.Problems {
				fmt.Fprintln(w, "  problem:", p)
			}
			if !rep.OK() {
				return fmt.Errorf("graph %s has %d problems", graphName, len(rep.Problems))
			}
			fmt.Fprintln(w, "ok")
			return nil
		},
	}
	cmd.Flags().StringVarP(&graphName, "graph", "g", "graph", "graph to check")
	return cmd
}

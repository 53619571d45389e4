package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/kvtgraph/kvtgraph/gremlin/server"
	"github.com/kvtgraph/kvtgraph/storage"
	"github.com/kvtgraph/kvtgraph/storage/graphio"
)

// version is set at build time: -ldflags "-X main.version=v1.2.3".
var version = "dev"

func versionString() string {
	v := version
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += "+" + s.Value[:12]
			}
		}
	}
	return v
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintf(cmd.OutOrStdout(), "kvtgraph %s (Gremlin Server protocol 3.x, TinkerPop 3.8)\n", versionString())
		},
	}
}

func cmdContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
}

func newLoadCmd(gf *globalFlags) *cobra.Command {
	var graphName, format, idType string
	var batch int
	cmd := &cobra.Command{
		Use:   "load --graph NAME FILE",
		Short: "Load a GraphSON (one vertex per line) or GraphML file into a graph",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := loadConfig(cmd, gf)
			if err != nil {
				return err
			}
			log, err := stderrLogger(c)
			if err != nil {
				return err
			}
			gc, ok := c.Graph(graphName)
			if !ok {
				return fmt.Errorf("no graph named %q in the configuration", graphName)
			}
			f, err := fileFormat(format, args[0])
			if err != nil {
				return err
			}
			idt, err := graphio.ParseIDType(idType)
			if err != nil {
				return err
			}
			if idType == "" {
				idt, _ = graphio.ParseIDType(gc.IDType)
			}
			in, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer in.Close()
			ctx, stop := cmdContext()
			defer stop()
			g, closeGraph, err := openGraph(ctx, gc, log)
			if err != nil {
				return err
			}
			stats, err := graphio.Load(ctx, g, bufio.NewReaderSize(in, 1<<20), f, graphio.LoadOptions{
				Name: args[0], IDType: idt, BatchSize: batch,
				Progress: func(v, e int64) { log.Debug("loading", "vertices", v, "edges", e) },
			})
			cerr := closeGraph()
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "loaded %s into %s: %+v\n", args[0], graphName, stats)
			return cerr
		},
	}
	cmd.Flags().StringVarP(&graphName, "graph", "g", "graph", "graph to load into")
	cmd.Flags().StringVar(&format, "format", "", "graphson or graphml (default: from the file extension)")
	cmd.Flags().StringVar(&idType, "id-type", "", "asis, string, int32, int64 or uuid (default: the graph's id_type)")
	cmd.Flags().IntVar(&batch, "batch", 0, "writes per transaction")
	return cmd
}

func fileFormat(flag, path string) (graphio.Format, error) {
	if flag != "" {
		return graphio.ParseFormat(flag)
	}
	return graphio.FormatFromPath(path)
}

func newExportCmd(gf *globalFlags) *cobra.Command {
	var graphName, format string
	cmd := &cobra.Command{
		Use:   "export --graph NAME [FILE]",
		Short: "Write a graph as GraphSON (one vertex per line) or GraphML; to stdout without FILE",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := loadConfig(cmd, gf)
			if err != nil {
				return err
			}
			log, err := stderrLogger(c)
			if err != nil {
				return err
			}
			gc, ok := c.Graph(graphName)
			if !ok {
				return fmt.Errorf("no graph named %q in the configuration", graphName)
			}
			var out io.Writer = cmd.OutOrStdout()
			f := graphio.GraphSON
			if len(args) == 1 && args[0] != "-" {
				if f, err = fileFormat(format, args[0]); err != nil {
					return err
				}
				file, err := os.Create(args[0])
				if err != nil {
					return err
				}
				defer file.Close()
				out = file
			} else if format != "" {
				if f, err = graphio.ParseFormat(format); err != nil {
					return err
				}
			}
			ctx, stop := cmdContext()
			defer stop()
			g, closeGraph, err := openGraph(ctx, gc, log)
			if err != nil {
				return err
			}
			defer closeGraph()
			tx, err := g.Begin(ctx, storage.TxOptions{ReadOnly: true, Snapshot: true})
			if err != nil {
				return err
			}
			defer tx.Rollback()
			bw := bufio.NewWriterSize(out, 1<<20)
			if err := graphio.Export(ctx, tx, bw, f); err != nil {
				return err
			}
			return bw.Flush()
		},
	}
	cmd.Flags().StringVarP(&graphName, "graph", "g", "graph", "graph to export")
	cmd.Flags().StringVar(&format, "format", "", "graphson or graphml (default: from the file extension, graphson on stdout)")
	return cmd
}

func newCheckCmd(gf *globalFlags) *cobra.Command {
	var graphName string
	cmd := &cobra.Command{
		Use:   "check --graph NAME",
		Short: "Verify a graph's storage: rows decode, adjacency is symmetric, indexes match the data",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := loadConfig(cmd, gf)
			if err != nil {
				return err
			}
			log, err := stderrLogger(c)
			if err != nil {
				return err
			}
			gc, ok := c.Graph(graphName)
			if !ok {
				return fmt.Errorf("no graph named %q in the configuration", graphName)
			}
			ctx, stop := cmdContext()
			defer stop()
			g, closeGraph, err := openGraph(ctx, gc, log)
			if err != nil {
				return err
			}
			defer closeGraph()
			rep, err := storage.Check(ctx, g)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "graph %s: %d vertices, %d edges, %d index entries\n", graphName, rep.Vertices, rep.Edges, rep.IndexEntries)
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

func newPasswdCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "passwd USER",
		Short: "Read a password from stdin and print a credentials-file line (bcrypt, cost 10)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintf(cmd.ErrOrStderr(), "password for %s: ", args[0])
			line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
			if err != nil && !errors.Is(err, io.EOF) {
				return err
			}
			fmt.Fprintln(cmd.ErrOrStderr())
			pw := strings.TrimRight(line, "\r\n")
			if pw == "" {
				return errors.New("empty password")
			}
			out, err := server.HashPassword(args[0], pw)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), out)
			return nil
		},
	}
}

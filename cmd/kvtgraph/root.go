package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/kvtgraph/kvtgraph/conf"
)

// globalFlags are accepted by every command.
type globalFlags struct {
	config string
}

func newRootCmd() *cobra.Command {
	var gf globalFlags
	root := &cobra.Command{
		Use:           "kvtgraph",
		Short:         "kvtgraph: a Gremlin-compatible graph database server",
		Long:          "kvtgraph serves Gremlin over the Apache TinkerPop 3.x Gremlin Server protocol (ws://host:8182/gremlin).\nWithout a subcommand it runs the server.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
	}
	pf := root.PersistentFlags()
	pf.StringVarP(&gf.config, "config", "c", "", "configuration file (default: kvtgraph.yaml, conf/kvtgraph.yaml or /etc/kvtgraph/kvtgraph.yaml if present)")
	pf.String("log-level", "", "log level: debug, info, warn or error")
	pf.String("log-format", "", "log format: text or json")
	pf.String("tinkerpop-dir", "", "directory of TinkerPop's sample data, for ${tinkerpop_dir} in load paths")

	serve := newServeCmd(&gf)
	root.RunE = serve.RunE
	root.Flags().AddFlagSet(serve.Flags())
	root.AddCommand(serve, newLoadCmd(&gf), newExportCmd(&gf), newCheckCmd(&gf), newPasswdCmd(), newVersionCmd())
	return root
}

// loadConfig reads the configuration with cmd's flags as overrides.
func loadConfig(cmd *cobra.Command, gf *globalFlags) (*conf.Config, error) {
	flags := pflag.NewFlagSet("merged", pflag.ContinueOnError)
	flags.AddFlagSet(cmd.Flags())
	flags.AddFlagSet(cmd.InheritedFlags())
	// Only flags the user set override the file and environment.
	changed := pflag.NewFlagSet("changed", pflag.ContinueOnError)
	flags.VisitAll(func(f *pflag.Flag) {
		if f.Changed {
			changed.AddFlag(f)
		}
	})
	return conf.Load(conf.Options{Path: gf.config, Flags: changed})
}

// newLogger builds the structured logger the configuration asks for.
func newLogger(c *conf.Config, w io.Writer) (*slog.Logger, error) {
	level, err := conf.ParseLevel(c.Log.Level)
	if err != nil {
		return nil, err
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(c.Log.Format) {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text", "":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log.format %q: want text or json", c.Log.Format)
}

func stderrLogger(c *conf.Config) (*slog.Logger, error) { return newLogger(c, os.Stderr) }

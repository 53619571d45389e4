package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/kvtgraph/kvtgraph/conf"
	"github.com/kvtgraph/kvtgraph/gremlin/server"
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

// configAndLogger loads the configuration and the stderr logger every
// command that touches a graph starts with.
func configAndLogger(cmd *cobra.Command, gf *globalFlags) (*conf.Config, *slog.Logger, error) {
	c, err := loadConfig(cmd, gf)
	if err != nil {
		return nil, nil, err
	}
	log, err := stderrLogger(c)
	if err != nil {
		return nil, nil, err
	}
	return c, log, nil
}

// commandGraph is the common start of load, export and check: the
// configuration of the graph named name, and the stderr logger.
func commandGraph(cmd *cobra.Command, gf *globalFlags, name string) (conf.GraphConfig, *slog.Logger, error) {
	c, log, err := configAndLogger(cmd, gf)
	if err != nil {
		return conf.GraphConfig{}, nil, err
	}
	gc, ok := c.Graph(name)
	if !ok {
		return conf.GraphConfig{}, nil, fmt.Errorf("no graph named %q in the configuration", name)
	}
	return gc, log, nil
}

// cmdContext is the context of a command: cancelled on SIGTERM or an
// interrupt.
func cmdContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
}

func fileFormat(flag, path string) (graphio.Format, error) {
	if flag != "" {
		return graphio.ParseFormat(flag)
	}
	return graphio.FormatFromPath(path)
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

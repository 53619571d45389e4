package conf

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/kvtgraph/kvtgraph/gremlin/server"
)

// Config is kvtgraph's whole configuration.
type Config struct {
	Server ServerConfig `mapstructure:"server"`
	Auth   AuthConfig   `mapstructure:"auth"`
	Log    LogConfig    `mapstructure:"log"`
	// Graphs lists the graphs to open.
	Graphs []GraphConfig `mapstructure:"graphs"`
	// Sources maps traversal source names (what clients alias "g" to) to
	// graph names.
	Sources map[string]string `mapstructure:"sources"`
	// TinkerPopDir is TinkerPop's test data folder (holding data/ and
	// features/); graph load paths may refer to it as ${tinkerpop_dir}.
	TinkerPopDir string `mapstructure:"tinkerpop_dir"`
	// Query holds switches that apply to every graph.
	Query QueryConfig `mapstructure:"query"`

	// File is the configuration file read, "" for none.
	File string `mapstructure:"-"`
}

// QueryConfig turns the planner's storage rewrites and the query caches
// off for every graph: traversals then run as written, every time. It is
// for diagnosis and for the differential conformance run
// (KVTGRAPH_QUERY_PLANNER_DISABLED=true KVTGRAPH_QUERY_CACHE_DISABLED=true).
type QueryConfig struct {
	PlannerDisabled bool `mapstructure:"planner_disabled"`
	CacheDisabled   bool `mapstructure:"cache_disabled"`
}

// ServerConfig holds the Gremlin Server settings; names follow Gremlin
// Server's YAML where it has one.
type ServerConfig struct {
	Host string `mapstructure:"host"`
	Port int    `mapstructure:"port"`
	// MaxConnections bounds open WebSocket connections (-1: unlimited).
	MaxConnections int `mapstructure:"maxConnections"`
	// MaxInFlight bounds running requests per connection (429 beyond).
	MaxInFlight int `mapstructure:"maxInFlightPerConnection"`
	// MaxContentLength bounds a request frame or HTTP body, in bytes.
	MaxContentLength int64 `mapstructure:"maxContentLength"`
	// WriteQueue is the number of response frames buffered per connection.
	WriteQueue int `mapstructure:"writeQueue"`
	// ResultIterationBatchSize is the number of results per response.
	ResultIterationBatchSize int `mapstructure:"resultIterationBatchSize"`
	// EvaluationTimeout is the default request time limit (0: none).
	EvaluationTimeout time.Duration `mapstructure:"evaluationTimeout"`
	// MaxSessions bounds open sessions.
	MaxSessions int `mapstructure:"maxSessions"`
	// SessionTimeout closes sessions idle this long.
	SessionTimeout time.Duration `mapstructure:"sessionTimeout"`
	// ShutdownTimeout bounds how long shutdown waits for running requests.
	ShutdownTimeout time.Duration `mapstructure:"shutdownTimeout"`
	// KeepAliveInterval is how often WebSocket clients are pinged; one
	// silent for two intervals is disconnected (0: no pings).
	KeepAliveInterval time.Duration `mapstructure:"keepAliveInterval"`
	// IdleConnectionTimeout closes WebSocket connections without requests,
	// responses or running requests for this long (0: never).
	IdleConnectionTimeout time.Duration `mapstructure:"idleConnectionTimeout"`
}

// AuthConfig enables SASL PLAIN / HTTP Basic authentication.
type AuthConfig struct {
	Enabled bool `mapstructure:"enabled"`
	// Credentials is a file of user:bcrypt-hash lines.
	Credentials string `mapstructure:"credentials"`
}

// LogConfig selects logging.
type LogConfig struct {
	// Level is debug, info, warn or error.
	Level string `mapstructure:"level"`
	// Format is text or json.
	Format string `mapstructure:"format"`
}

// GraphConfig describes one graph.
type GraphConfig struct {
	Name string `mapstructure:"name"`
	// Data is the graph's data directory (KVT's durable mode).
	Data string `mapstructure:"data"`
	// InMemory keeps the graph in memory only (KVT's in-memory mode); Data
	// is then ignored.
	InMemory bool `mapstructure:"in_memory"`
	// Load is a GraphSON or GraphML file loaded when the graph is empty.
	Load string `mapstructure:"load"`
	// Fsync is always, interval or off.
	Fsync string `mapstructure:"fsync"`
	// FsyncInterval is the fsync period when Fsync is interval.
	FsyncInterval time.Duration `mapstructure:"fsync_interval"`
	// IDType is the Gremlin type of vertex and edge ids: int32 or int64.
	IDType string `mapstructure:"id_type"`
	// Cache configures the graph's query cache.
	Cache CacheConfig `mapstructure:"cache"`
	// Planner configures the graph's query planner.
	Planner PlannerConfig `mapstructure:"planner"`
}

// PlannerConfig configures a graph's query planner.
type PlannerConfig struct {
	// FullScan says what happens to a traversal that can only run as a
	// full vertex or edge scan with filters (no id, label or index access,
	// as g.V().has('name','x') without an index on name): allow (the
	// default), warn (log a warning naming the traversal) or refuse (fail
	// the request with 597, naming the step and suggesting an index).
	FullScan string `mapstructure:"full_scan"`
}

// Full-scan policies.
const (
	FullScanAllow  = "allow"
	FullScanWarn   = "warn"
	FullScanRefuse = "refuse"
)

// CacheConfig bounds a graph's query cache of read-only traversal results.
// Zero values take the defaults (4096 entries, 64 MiB).
type CacheConfig struct {
	// Disabled turns the cache off.
	Disabled bool `mapstructure:"disabled"`
	// MaxEntries bounds the number of cached traversals.
	MaxEntries int `mapstructure:"max_entries"`
	// MaxBytes bounds the estimated size of the cached results.
	MaxBytes int64 `mapstructure:"max_bytes"`
}

// Fsync modes.
const (
	FsyncAlways   = "always"
	FsyncInterval = "interval"
	FsyncOff      = "off"
)

// Options say where Load looks.
type Options struct {
	// Path is the configuration file; empty means DefaultPaths are tried
	// and built-in defaults used when none exists.
	Path string
	// Flags are command-line flags that override the file and the
	// environment; see FlagKeys.
	Flags *pflag.FlagSet
}

// DefaultPaths are tried in order when no file is named.
var DefaultPaths = []string{"kvtgraph.yaml", "conf/kvtgraph.yaml", "/etc/kvtgraph/kvtgraph.yaml"}

// FlagKeys maps command-line flag names to configuration keys.
var FlagKeys = map[string]string{
	"host":               "server.host",
	"port":               "server.port",
	"log-level":          "log.level",
	"log-format":         "log.format",
	"evaluation-timeout": "server.evaluationTimeout",
	"tinkerpop-dir":      "tinkerpop_dir",
}

// EnvPrefix prefixes environment overrides: KVTGRAPH_SERVER_PORT sets
// server.port, KVTGRAPH_TINKERPOP_DIR sets tinkerpop_dir.
const EnvPrefix = "KVTGRAPH"

func setDefaults(v *viper.Viper) {
	v.SetDefault("query.planner_disabled", false)
	v.SetDefault("query.cache_disabled", false)
	d := server.DefaultConfig()
	v.SetDefault("server.host", d.Host)
	v.SetDefault("server.port", d.Port)
	v.SetDefault("server.maxConnections", d.MaxConnections)
	v.SetDefault("server.maxInFlightPerConnection", d.MaxInFlight)
	v.SetDefault("server.maxContentLength", d.MaxContentLength)
	v.SetDefault("server.writeQueue", d.WriteQueue)
	v.SetDefault("server.resultIterationBatchSize", d.BatchSize)
	v.SetDefault("server.evaluationTimeout", d.EvaluationTimeout)
	v.SetDefault("server.maxSessions", d.MaxSessions)
	v.SetDefault("server.sessionTimeout", d.SessionTimeout)
	v.SetDefault("server.shutdownTimeout", 30*time.Second)
	v.SetDefault("server.keepAliveInterval", d.KeepAliveInterval)
	v.SetDefault("server.idleConnectionTimeout", time.Duration(0))
	v.SetDefault("auth.enabled", false)
	v.SetDefault("auth.credentials", "")
	v.SetDefault("log.level", "info")
	v.SetDefault("log.format", "text")
	v.SetDefault("tinkerpop_dir", "../shared/tinkerpop")
}

// defaultGraphs is used when no file names any graph: one durable graph
// "graph" in ./data/graph with source g.
func defaultGraphs() ([]GraphConfig, map[string]string) {
	return []GraphConfig{{Name: "graph", Data: "./data/graph", Fsync: FsyncAlways, IDType: "int64"}},
		map[string]string{"g": "graph"}
}

// Load reads the configuration: built-in defaults, then the YAML file,
// then KVTGRAPH_* environment variables, then flags. It validates the
// result.
func Load(opts Options) (*Config, error) {
	v := viper.New()
	setDefaults(v)
	v.SetEnvPrefix(EnvPrefix)
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()

	path := opts.Path
	if path == "" {
		for _, p := range DefaultPaths {
			if _, err := os.Stat(p); err == nil {
				path = p
				break
			}
		}
	}
	if path != "" {
		v.SetConfigFile(path)
		v.SetConfigType("yaml")
		if err := v.ReadInConfig(); err != nil {
			return nil, fmt.Errorf("config %s: %w", path, err)
		}
	}
	if opts.Flags != nil {
		for flag, key := range FlagKeys {
			if f := opts.Flags.Lookup(flag); f != nil {
				if err := v.BindPFlag(key, f); err != nil {
					return nil, fmt.Errorf("config: flag --%s: %w", flag, err)
				}
			}
		}
	}
	var c Config
	if err := v.Unmarshal(&c); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	c.File = path
	if len(c.Graphs) == 0 && len(c.Sources) == 0 {
		c.Graphs, c.Sources = defaultGraphs()
	}
	for i := range c.Graphs {
		g := &c.Graphs[i]
		g.Load = expand(g.Load, c.TinkerPopDir)
		g.Data = expand(g.Data, c.TinkerPopDir)
		if g.Fsync == "" {
			g.Fsync = FsyncAlways
		}
		if g.IDType == "" {
			g.IDType = "int64"
		}
		g.Planner.FullScan = strings.ToLower(strings.TrimSpace(g.Planner.FullScan))
		if g.Planner.FullScan == "" {
			g.Planner.FullScan = FullScanAllow
		}
		if g.FsyncInterval == 0 {
			g.FsyncInterval = 10 * time.Millisecond
		}
	}
	if err := c.Validate(); err != nil {
		if path != "" {
			return nil, fmt.Errorf("config %s: %w", path, err)
		}
		return nil, fmt.Errorf("config: %w", err)
	}
	return &c, nil
}

func expand(s, tinkerpopDir string) string {
	return os.Expand(s, func(name string) string {
		switch strings.ToLower(name) {
		case "tinkerpop_dir":
			return tinkerpopDir
		}
		return os.Getenv(name)
	})
}

// Validate reports every problem in the configuration at once.
func (c *Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.Server.Port < 0 || c.Server.Port > 65535 {
		bad("server.port %d is not a TCP port", c.Server.Port)
	}
	if c.Server.ResultIterationBatchSize <= 0 {
		bad("server.resultIterationBatchSize must be positive, got %d", c.Server.ResultIterationBatchSize)
	}
	if c.Server.MaxContentLength <= 0 {
		bad("server.maxContentLength must be positive, got %d", c.Server.MaxContentLength)
	}
	if c.Server.KeepAliveInterval < 0 {
		bad("server.keepAliveInterval must not be negative (0 turns pings off)")
	}
	if c.Server.IdleConnectionTimeout < 0 {
		bad("server.idleConnectionTimeout must not be negative (0 means never)")
	}
	if c.Server.EvaluationTimeout < 0 {
		bad("server.evaluationTimeout must not be negative (0 means no limit)")
	}
	if _, err := ParseLevel(c.Log.Level); err != nil {
		errs = append(errs, err)
	}
	if f := strings.ToLower(c.Log.Format); f != "text" && f != "json" {
		bad("log.format %q: want text or json", c.Log.Format)
	}
	if c.Auth.Enabled && c.Auth.Credentials == "" {
		bad("auth.enabled needs auth.credentials, a file of user:bcrypt-hash lines")
	}
	if len(c.Graphs) == 0 {
		bad("no graphs configured")
	}
	names := map[string]bool{}
	for i, g := range c.Graphs {
		where := fmt.Sprintf("graphs[%d]", i)
		if g.Name == "" {
			bad("%s has no name", where)
			continue
		}
		where = fmt.Sprintf("graph %q", g.Name)
		if names[g.Name] {
			bad("%s is configured twice", where)
		}
		names[g.Name] = true
		if !g.InMemory && g.Data == "" {
			bad("%s needs a data directory (data: ...) or in_memory: true", where)
		}
		switch g.Fsync {
		case FsyncAlways, FsyncInterval, FsyncOff:
		default:
			bad("%s: fsync %q: want always, interval or off", where, g.Fsync)
		}
		switch g.IDType {
		case "int32", "int64":
		default:
			bad("%s: id_type %q: want int32 or int64", where, g.IDType)
		}
		switch g.Planner.FullScan {
		case "", FullScanAllow, FullScanWarn, FullScanRefuse:
		default:
			bad("%s: planner.full_scan %q: want allow, warn or refuse", where, g.Planner.FullScan)
		}
	}
	if len(c.Sources) == 0 {
		bad("no traversal sources configured (sources: {g: graph})")
	}
	for src, g := range c.Sources {
		if !names[g] {
			bad("traversal source %q refers to graph %q, which is not configured", src, g)
		}
		if names[src] && src != g {
			bad("traversal source %q has the name of a graph", src)
		}
	}
	return errors.Join(errs...)
}

// ParseLevel parses a log level name.
func ParseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("log.level %q: want debug, info, warn or error", s)
	}
	return l, nil
}

// Graph returns the named graph's configuration.
func (c *Config) Graph(name string) (GraphConfig, bool) {
	for _, g := range c.Graphs {
		if g.Name == name {
			return g, true
		}
	}
	return GraphConfig{}, false
}

// ServerConfig converts the settings for server.New, loading the
// credentials file when authentication is on.
func (c *Config) ServerConfig() (server.Config, error) {
	s := c.Server
	sc := server.Config{
		Host:              s.Host,
		Port:              s.Port,
		MaxConnections:    s.MaxConnections,
		MaxInFlight:       s.MaxInFlight,
		MaxContentLength:  s.MaxContentLength,
		WriteQueue:        s.WriteQueue,
		BatchSize:         s.ResultIterationBatchSize,
		EvaluationTimeout: s.EvaluationTimeout,
		MaxSessions:       s.MaxSessions,
		SessionTimeout:    s.SessionTimeout,

		KeepAliveInterval:     s.KeepAliveInterval,
		IdleConnectionTimeout: s.IdleConnectionTimeout,
	}
	if s.EvaluationTimeout == 0 {
		sc.EvaluationTimeout = -1 // no limit
	}
	if s.KeepAliveInterval == 0 {
		sc.KeepAliveInterval = -1 // no pings
	}
	if c.Auth.Enabled {
		creds, err := server.LoadCredentials(c.Auth.Credentials)
		if err != nil {
			return sc, err
		}
		sc.Auth = server.AuthConfig{Enabled: true, Credentials: creds}
	}
	return sc, nil
}

package server

import (
	"time"
)

// Config holds the server's settings. Zero fields take the defaults of
// DefaultConfig (see withDefaults), which follow Gremlin Server's.
type Config struct {
	// Host and Port to listen on (ListenAndServe).
	Host string
	Port int

	// MaxConnections bounds open WebSocket connections; further upgrades
	// are refused with HTTP 503. Negative means unlimited.
	MaxConnections int
	// MaxInFlight bounds the requests one connection may have running;
	// further requests are answered 429 until one finishes.
	MaxInFlight int
	// MaxContentLength bounds one request frame or HTTP body in bytes
	// (Gremlin Server's maxContentLength).
	MaxContentLength int64
	// WriteQueue is the number of encoded response frames a connection
	// buffers before the requests producing them wait for the client.
	WriteQueue int
	// WriteTimeout bounds one frame write; a client that reads nothing for
	// this long is disconnected.
	WriteTimeout time.Duration
	// KeepAliveInterval is how often the server pings each WebSocket
	// client. A client that sends nothing, not even a pong, for two
	// intervals (at least interval + 1 s) is disconnected. Negative turns
	// keepalive off.
	KeepAliveInterval time.Duration
	// IdleConnectionTimeout closes a WebSocket connection that has had no
	// request or response traffic (pings and pongs do not count) and no
	// running request for this long, with close code 1000. Zero or
	// negative means never.
	IdleConnectionTimeout time.Duration

	// BatchSize is resultIterationBatchSize: results per response message.
	BatchSize int
	// EvaluationTimeout is the default per-request limit; a request's
	// evaluationTimeout argument overrides it. Negative means none.
	EvaluationTimeout time.Duration

	// MaxSessions bounds open sessions server-wide (429 beyond).
	MaxSessions int
	// SessionTimeout closes a session idle for this long.
	SessionTimeout time.Duration
	// SessionQueue is the number of requests a session may have waiting.
	SessionQueue int

	// Auth, when Enabled, requires SASL PLAIN on WebSockets and HTTP Basic
	// on HTTP, checked against Credentials.
	Auth AuthConfig

	// Metrics receives the server's measurements; nil makes a fresh one.
	Metrics *Metrics
}

// AuthConfig selects authentication.
type AuthConfig struct {
	Enabled bool
	// Credentials checks user names and passwords (see LoadCredentials).
	Credentials *Credentials
}

// DefaultConfig returns the defaults: port 8182, batch 64, 30 s evaluation
// timeout, 10 MiB content length, 8 h session timeout, a ping every 30 s,
// no idle-connection timeout.
func DefaultConfig() Config {
	return Config{
		Host:              "0.0.0.0",
		Port:              8182,
		MaxConnections:    1024,
		MaxInFlight:       64,
		MaxContentLength:  10 << 20,
		WriteQueue:        16,
		WriteTimeout:      30 * time.Second,
		KeepAliveInterval: 30 * time.Second,
		BatchSize:         64,
		EvaluationTimeout: 30 * time.Second,
		MaxSessions:       1024,
		SessionTimeout:    8 * time.Hour,
		SessionQueue:      64,
	}
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Host == "" {
		c.Host = d.Host
	}
	if c.Port == 0 {
		c.Port = d.Port
	}
	if c.MaxConnections == 0 {
		c.MaxConnections = d.MaxConnections
	}
	if c.MaxInFlight <= 0 {
		c.MaxInFlight = d.MaxInFlight
	}
	if c.MaxContentLength <= 0 {
		c.MaxContentLength = d.MaxContentLength
	}
	if c.WriteQueue <= 0 {
		c.WriteQueue = d.WriteQueue
	}
	if c.WriteTimeout <= 0 {
		c.WriteTimeout = d.WriteTimeout
	}
	if c.KeepAliveInterval == 0 {
		c.KeepAliveInterval = d.KeepAliveInterval
	}
	if c.BatchSize <= 0 {
		c.BatchSize = d.BatchSize
	}
	if c.EvaluationTimeout == 0 {
		c.EvaluationTimeout = d.EvaluationTimeout
	}
	if c.MaxSessions <= 0 {
		c.MaxSessions = d.MaxSessions
	}
	if c.SessionTimeout <= 0 {
		c.SessionTimeout = d.SessionTimeout
	}
	if c.SessionQueue <= 0 {
		c.SessionQueue = d.SessionQueue
	}
	return c
}

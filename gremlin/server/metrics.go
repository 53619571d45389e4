package server

import (
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the server's Prometheus collectors, in a registry of its
// own (several servers can live in one process, as in tests). Create it
// before the executor when lower layers need its hooks (CacheLookups).
type Metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	responses   *prometheus.CounterVec
	connections prometheus.Gauge
	sessions    prometheus.Gauge
	cache       *prometheus.CounterVec
	evictions   *prometheus.CounterVec
}

// NewMetrics returns a fresh set of collectors, with Go runtime and
// process metrics included.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kvtgraph_requests_total",
			Help: "Gremlin requests received, by transport, op and processor.",
		}, []string{"transport", "op", "processor"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "kvtgraph_request_duration_seconds",
			Help:    "Time from receiving a request to its final response, by op.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 18),
		}, []string{"op"}),
		responses: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kvtgraph_responses_total",
			Help: "Final responses sent, by status code (errors are codes >= 400).",
		}, []string{"code"}),
		connections: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "kvtgraph_open_connections",
			Help: "Open WebSocket connections.",
		}),
		sessions: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "kvtgraph_open_sessions",
			Help: "Open sessions.",
		}),
		cache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kvtgraph_cache_lookups_total",
			Help: "Cache lookups by cache name and result (hit or miss).",
		}, []string{"cache", "result"}),
		evictions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kvtgraph_cache_evictions_total",
			Help: "Cache entries evicted to stay within the cache's bounds, by cache name.",
		}, []string{"cache"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.responses, m.connections, m.sessions, m.cache, m.evictions,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registerer lets other layers register collectors of their own.
func (m *Metrics) Registerer() prometheus.Registerer { return m.reg }

// CacheLookups returns the hit and miss counters of the named cache, for
// the cache to increment.
func (m *Metrics) CacheLookups(cache string) (hits, misses prometheus.Counter) {
	return m.cache.WithLabelValues(cache, "hit"), m.cache.WithLabelValues(cache, "miss")
}

// CacheEvictions returns the eviction counter of the named cache, for the
// cache to increment.
func (m *Metrics) CacheEvictions(cache string) prometheus.Counter {
	return m.evictions.WithLabelValues(cache)
}

func (m *Metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

func (m *Metrics) response(code int) {
	m.responses.WithLabelValues(strconv.Itoa(code)).Inc()
}

package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/google/uuid"

	gio "github.com/kvtgraph/kvtgraph/gremlin/io"
	"github.com/kvtgraph/kvtgraph/storage/value"
)

// httpSink keeps the responses of an HTTP request; HTTP answers with one
// message holding every result.
type httpSink struct {
	mu    sync.Mutex
	data  []any
	final *gio.Response
	ser   gio.Serializer
	body  []byte
}

func (k *httpSink) send(_ context.Context, resp *gio.Response) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if resp.Status.Code == gio.StatusPartialContent {
		if d, ok := resp.Result.Data.([]any); ok {
			k.data = append(k.data, d...)
		}
		return nil
	}
	final := *resp
	if final.Status.Code == gio.StatusSuccess || final.Status.Code == gio.StatusNoContent {
		d, _ := final.Result.Data.([]any)
		all := append(k.data, d...)
		if all == nil {
			all = []any{}
		}
		final.Status.Code = gio.StatusSuccess
		final.Result.Data = all
		body, err := k.ser.EncodeResponse(&final)
		if err != nil {
			return fmt.Errorf("%w: Error during serialization: %v", ErrSerialization, err)
		}
		k.body = body
	}
	k.final = &final
	return nil
}

func (s *Server) setCORS(w http.ResponseWriter, r *http.Request) {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Allow-Credentials", "true")
	h.Add("Vary", "Origin")
}

func (s *Server) serveGremlinHTTP(w http.ResponseWriter, r *http.Request) {
	s.setCORS(w, r)
	if r.Method == http.MethodOptions {
		h := w.Header()
		h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
		if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
			h.Set("Access-Control-Allow-Headers", req)
		} else {
			h.Set("Access-Control-Allow-Headers", "Content-Type, Accept, Authorization")
		}
		h.Set("Access-Control-Max-Age", "86400")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST, OPTIONS")
		httpError(w, http.StatusMethodNotAllowed, "Only GET and POST are supported")
		return
	}
	exec, ok := s.httpExec(r.URL.Path)
	if !ok {
		analysisUnsupported(w, r.URL.Path)
		return
	}
	user := ""
	if s.cfg.Auth.Enabled {
		u, p, ok := r.BasicAuth()
		if !ok {
			w.Header().Set("WWW-Authenticate", `Basic realm="kvtgraph"`)
			httpError(w, http.StatusUnauthorized, "Authentication required: send HTTP Basic credentials")
			return
		}
		if err := s.cfg.Auth.Credentials.Authenticate(u, p); err != nil {
			w.Header().Set("WWW-Authenticate", `Basic realm="kvtgraph"`)
			httpError(w, http.StatusUnauthorized, errBadCredentials.Msg)
			return
		}
		user = u
	}

	ser, err := s.responseSerializer(r.Header.Get("Accept"))
	if err != nil {
		httpError(w, http.StatusBadRequest, err.Error())
		return
	}
	var req *gio.Request
	if r.Method == http.MethodGet {
		req, err = requestFromQuery(r)
	} else {
		req, err = s.requestFromBody(w, r)
	}
	if err != nil {
		var he *httpErr
		if errors.As(err, &he) {
			httpError(w, he.code, he.msg)
		} else {
			httpError(w, http.StatusBadRequest, err.Error())
		}
		return
	}
	s.metrics.requests.WithLabelValues("http", req.Op, req.Processor).Inc()
	if req.Processor == procSession {
		httpError(w, http.StatusBadRequest, "Sessions are not supported over HTTP; use a WebSocket connection")
		return
	}
	if !s.beginWork() {
		httpError(w, http.StatusServiceUnavailable, "Server is shutting down")
		return
	}
	defer s.endWork()

	sk := &httpSink{ser: ser}
	t := &task{req: req, reply: s.newReply(req.RequestID, sk, req.Op), user: user, transport: "http", batch: math.MaxInt32}
	s.run(r.Context(), t, exec)

	sk.mu.Lock()
	final, body := sk.final, sk.body
	sk.mu.Unlock()
	if final == nil {
		httpError(w, http.StatusInternalServerError, "The request produced no response")
		return
	}
	if body == nil {
		writeJSON(w, httpStatusOf(final.Status.Code), map[string]any{
			"message":         final.Status.Message,
			"code":            final.Status.Code,
			"Exception-Class": exceptionClass(final.Status.Code),
		})
		return
	}
	w.Header().Set("Content-Type", ser.MimeType())
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

type httpErr struct {
	code int
	msg  string
}

func (e *httpErr) Error() string { return e.msg }

// responseSerializer picks the response format from Accept: the first
// listed type kvtgraph speaks; GraphSON v3 for none or */*.
func (s *Server) responseSerializer(accept string) (gio.Serializer, error) {
	if strings.TrimSpace(accept) == "" {
		return s.jsonSerializer()
	}
	for _, part := range strings.Split(accept, ",") {
		mime := strings.TrimSpace(part)
		base, _, _ := strings.Cut(mime, ";")
		base = strings.TrimSpace(base)
		if base == "*/*" || base == "application/*" {
			return s.jsonSerializer()
		}
		if ser, ok := s.codecs.ForMime(mime); ok {
			return ser, nil
		}
	}
	return nil, fmt.Errorf("no serializer for requested Accept header: %s", accept)
}

func (s *Server) jsonSerializer() (gio.Serializer, error) {
	if ser, ok := s.codecs.ForMime(gio.MimeJSON); ok {
		return ser, nil
	}
	return nil, fmt.Errorf("no serializer registered for %s", gio.MimeJSON)
}

func requestFromQuery(r *http.Request) (*gio.Request, error) {
	q := r.URL.Query()
	script := q.Get("gremlin")
	if script == "" {
		return nil, &httpErr{http.StatusBadRequest, "no gremlin script supplied"}
	}
	args := map[string]any{argGremlin: script}
	bindings := map[string]any{}
	aliases := map[string]any{}
	for k, vs := range q {
		if len(vs) == 0 {
			continue
		}
		switch {
		case strings.HasPrefix(k, "bindings."):
			bindings[strings.TrimPrefix(k, "bindings.")] = queryValue(vs[0])
		case strings.HasPrefix(k, "aliases."):
			aliases[strings.TrimPrefix(k, "aliases.")] = vs[0]
		case k == argLanguage:
			args[argLanguage] = vs[0]
		}
	}
	if len(bindings) > 0 {
		args[argBindings] = bindings
	}
	if len(aliases) > 0 {
		args[argAliases] = aliases
	}
	return &gio.Request{RequestID: uuid.New(), Op: opEval, Processor: procStandard, Args: args}, nil
}

// queryValue reads a binding from a query string: JSON when it parses
// (numbers, booleans, lists, maps, quoted strings), else the raw text.
func queryValue(s string) any {
	v, err := decodeJSONValue([]byte(s))
	if err != nil {
		return s
	}
	return v
}

// requestFromBody reads a POST body: a full request message when the
// Content-Type names a Gremlin serializer, else {gremlin, bindings,
// language, aliases} JSON.
func (s *Server) requestFromBody(w http.ResponseWriter, r *http.Request) (*gio.Request, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxContentLength))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &httpErr{http.StatusRequestEntityTooLarge, fmt.Sprintf("request body exceeds maxContentLength of %d bytes", s.cfg.MaxContentLength)}
		}
		return nil, &httpErr{http.StatusBadRequest, "could not read request body: " + err.Error()}
	}
	ct := r.Header.Get("Content-Type")
	base, _, _ := strings.Cut(ct, ";")
	base = strings.ToLower(strings.TrimSpace(base))
	if strings.HasPrefix(base, "application/vnd.graphbinary") || strings.HasPrefix(base, "application/vnd.gremlin") {
		ser, ok := s.codecs.ForMime(ct)
		if !ok {
			return nil, &httpErr{http.StatusBadRequest, fmt.Sprintf("Content-Type %s is not a supported serializer", ct)}
		}
		req, err := ser.DecodeRequest(body)
		if err != nil {
			return nil, &httpErr{http.StatusBadRequest, "Request could not be decoded: " + err.Error()}
		}
		if req.RequestID == uuid.Nil {
			req.RequestID = uuid.New()
		}
		return req, nil
	}
	var raw struct {
		Gremlin   *string         `json:"gremlin"`
		Bindings  json.RawMessage `json:"bindings"`
		Language  string          `json:"language"`
		Aliases   map[string]any  `json:"aliases"`
		RequestID string          `json:"requestId"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, &httpErr{http.StatusBadRequest, "body could not be parsed as JSON: " + err.Error()}
	}
	if raw.Gremlin == nil || *raw.Gremlin == "" {
		return nil, &httpErr{http.StatusBadRequest, "no gremlin script supplied"}
	}
	args := map[string]any{argGremlin: *raw.Gremlin}
	if len(raw.Bindings) > 0 && string(raw.Bindings) != "null" {
		b, err := decodeJSONValue(raw.Bindings)
		if err != nil {
			return nil, &httpErr{http.StatusBadRequest, "bindings could not be parsed: " + err.Error()}
		}
		m, ok := b.(*value.Map)
		if !ok {
			return nil, &httpErr{http.StatusBadRequest, "bindings must be a JSON object"}
		}
		args[argBindings] = m
	}
	if raw.Language != "" {
		args[argLanguage] = raw.Language
	}
	if raw.Aliases != nil {
		args[argAliases] = raw.Aliases
	}
	id := uuid.New()
	if raw.RequestID != "" {
		if parsed, err := uuid.Parse(raw.RequestID); err == nil {
			id = parsed
		}
	}
	return &gio.Request{RequestID: id, Op: opEval, Processor: procStandard, Args: args}, nil
}

// decodeJSONValue converts untyped JSON to Gremlin values the way Gremlin
// Server reads HTTP bindings: integers become Int (or Long when they do
// not fit), other numbers Double, objects *value.Map, arrays []any.
func decodeJSONValue(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("trailing data after JSON value")
	}
	return convertJSON(v), nil
}

func convertJSON(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			if i >= math.MinInt32 && i <= math.MaxInt32 {
				return int32(i)
			}
			return i
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = convertJSON(x[i])
		}
		return x
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		m := value.NewMap()
		for _, k := range keys {
			m.Put(k, convertJSON(x[k]))
		}
		return m
	}
	return v
}

// httpStatusOf maps a Gremlin status code to the HTTP status of an error
// response.
func httpStatusOf(code int) int {
	switch code {
	case gio.StatusUnauthorized, gio.StatusAuthenticate:
		return http.StatusUnauthorized
	case gio.StatusForbidden:
		return http.StatusForbidden
	case gio.StatusTooManyRequests:
		return http.StatusTooManyRequests
	case gio.StatusRequestErrorSerialization, gio.StatusMalformedRequest, gio.StatusInvalidRequestArguments:
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

func exceptionClass(code int) string {
	switch code {
	case gio.StatusServerTimeout:
		return "java.util.concurrent.TimeoutException"
	case gio.StatusScriptEvaluationError, gio.StatusServerErrorFailStep:
		return "javax.script.ScriptException"
	case gio.StatusInvalidRequestArguments, gio.StatusMalformedRequest:
		return "java.lang.IllegalArgumentException"
	}
	return "java.lang.RuntimeException"
}

func httpError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"message": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

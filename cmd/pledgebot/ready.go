package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"sync"
	"time"
)

// readiness is what GET /readyz checks. Components add themselves in two
// ways:
//
//   - a.ready.Check(name, fn): fn is called on each /readyz (keep it quick;
//     it gets a context with a short deadline). Used for Redis.
//   - set := a.ready.Component(name): the component starts "not ready" and
//     calls set(nil) once connected, set(err) when it loses the connection.
//     Used by adapters with a long-lived connection (Socket Mode, gateway).
//
// Error texts are shown on /readyz, so they must not contain secrets.
type readiness struct {
	mu     sync.Mutex
	checks map[string]func(context.Context) error
	state  map[string]error
}

var errNotConnected = errors.New("not connected yet")

// checkTimeout bounds each check so a hung Redis makes /readyz say so
// quickly instead of hanging the prober.
const checkTimeout = time.Second

// Check adds a check run on every /readyz.
func (r *readiness) Check(name string, fn func(context.Context) error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.checks == nil {
		r.checks = map[string]func(context.Context) error{}
	}
	r.checks[name] = fn
}

// Component adds a component that reports its own state, initially not
// ready. The returned func is safe to call from any goroutine.
func (r *readiness) Component(name string) (set func(err error)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.state == nil {
		r.state = map[string]error{}
	}
	r.state[name] = errNotConnected
	return func(err error) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.state[name] = err
	}
}

// Status runs every check (in parallel) and returns each component's
// state, "ok" or what is wrong, and whether all are ready.
func (r *readiness) Status(ctx context.Context) (map[string]string, bool) {
	r.mu.Lock()
	out := make(map[string]string, len(r.checks)+len(r.state))
	for name, err := range r.state {
		out[name] = errText(err)
	}
	checks := make(map[string]func(context.Context) error, len(r.checks))
	for name, fn := range r.checks {
		checks[name] = fn
	}
	r.mu.Unlock()

	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, fn := range checks {
		wg.Go(func() {
			err := fn(ctx)
			mu.Lock()
			out[name] = errText(err)
			mu.Unlock()
		})
	}
	wg.Wait()
	ready := true
	for _, v := range out {
		ready = ready && v == "ok"
	}
	return out, ready
}

func errText(err error) string {
	if err == nil {
		return "ok"
	}
	return err.Error()
}

// ServeHTTP answers /readyz: 200 when everything is ready, else 503; the
// JSON body names each component and what is wrong with it.
func (r *readiness) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	status, ready := r.Status(req.Context())
	body := struct {
		Status string            `json:"status"`
		Checks map[string]string `json:"checks"`
		Failed []string          `json:"failed,omitempty"`
	}{Status: "ready", Checks: status}
	for name, s := range status {
		if s != "ok" {
			body.Failed = append(body.Failed, name)
		}
	}
	sort.Strings(body.Failed)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if !ready {
		body.Status = "not ready"
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	json.NewEncoder(w).Encode(body)
}

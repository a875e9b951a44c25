package main

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/pledgebot/pledgebot/supervise"
)

// readiness is what GET /readyz checks (docs/readyz.md says what each
// check means). Two kinds of check:
//
//   - a.ready.Check(name, fn): fn is called on each /readyz (keep it quick;
//     it gets a context with a short deadline). Used for Redis.
//   - a.ready.Transports(status): each chat transport under the
//     supervisor, with its state, reason and since when.
//   - a.ready.Info(name, fn): a line of information under "info" that
//     never makes the bot unready (the Slack installation count).
//
// Error texts are shown on /readyz, so they must not contain secrets.
type readiness struct {
	mu         sync.Mutex
	checks     map[string]func(context.Context) error
	transports func() map[string]supervise.Status
	info       map[string]func(context.Context) string
}

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

// Info adds a line of information shown on every /readyz; it does not
// count toward readiness.
func (r *readiness) Info(name string, fn func(context.Context) string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.info == nil {
		r.info = map[string]func(context.Context) string{}
	}
	r.info[name] = fn
}

// infoLines reads every Info line, each within checkTimeout.
func (r *readiness) infoLines(ctx context.Context) map[string]string {
	r.mu.Lock()
	fns := make(map[string]func(context.Context) string, len(r.info))
	for name, fn := range r.info {
		fns[name] = fn
	}
	r.mu.Unlock()
	if len(fns) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	out := make(map[string]string, len(fns))
	for name, fn := range fns {
		out[name] = fn(ctx)
	}
	return out
}

// Transports adds the chat transports' states, read on every /readyz.
func (r *readiness) Transports(status func() map[string]supervise.Status) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.transports = status
}

// Status runs every check (in parallel) and returns each one's state,
// "ok" or what is wrong, each transport's full status, and whether all are
// ready.
func (r *readiness) Status(ctx context.Context) (map[string]string, map[string]supervise.Status, bool) {
	r.mu.Lock()
	var transports map[string]supervise.Status
	if r.transports != nil {
		transports = r.transports()
	}
	out := make(map[string]string, len(r.checks)+len(transports))
	for name, st := range transports {
		out[name] = st.Text()
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
	return out, transports, ready
}

func errText(err error) string {
	if err == nil {
		return "ok"
	}
	return err.Error()
}

// ServeHTTP answers /readyz: 200 when everything is ready, else 503. The
// JSON body names each check and what is wrong with it, and gives each
// transport's state, reason and since when.
func (r *readiness) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	status, transports, ready := r.Status(req.Context())
	body := struct {
		Status     string                      `json:"status"`
		Checks     map[string]string           `json:"checks"`
		Failed     []string                    `json:"failed,omitempty"`
		Transports map[string]supervise.Status `json:"transports,omitempty"`
		Info       map[string]string           `json:"info,omitempty"`
	}{Status: "ready", Checks: status, Transports: transports, Info: r.infoLines(req.Context())}
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

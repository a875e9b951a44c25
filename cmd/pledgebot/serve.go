package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/metrics"
	"github.com/pledgebot/pledgebot/supervise"
)

// parts is everything serve runs besides its HTTP server: the chat
// transports under one supervisor, background tasks that run until ctx
// ends, and closers run (last first) once both have stopped.
type parts struct {
	transports *supervise.Supervisor
	tasks      []func(ctx context.Context) error
	closers    []func()
}

// mount attaches a test-only component to serve (see extraMounts): it may
// add HTTP routes and return a background task.
type mount func(ctx context.Context, a *app, mux *http.ServeMux) (func(ctx context.Context) error, error)

// extraMounts is empty in the real binary; tests add components to it.
var extraMounts []mount

func serveCmd(fs *flag.FlagSet) runFunc {
	cfgPath := configFlag(fs)
	return func(ctx context.Context, e env, _ []string) error { return runServe(ctx, *cfgPath, e.stderr) }
}

func runServe(ctx context.Context, cfgPath string, stderr io.Writer) error {
	cfg, err := config.Load(cfgPath)
	if err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, stderr, slog.LevelInfo, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	return a.serve(ctx, nil)
}

// build makes everything serve runs, in the order it is read here: the
// operator endpoints, the report page, the chat adapters (each transport
// under the supervisor), the scheduler and the audit trim.
func (a *app) build(ctx context.Context, mux *http.ServeMux) (*parts, error) {
	p := &parts{transports: a.supervisor()}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok\n")
	})
	a.mountOps(mux, p.transports)
	a.mountReports(mux)
	if err := a.mountSlack(mux, p); err != nil {
		return nil, err
	}
	if err := a.mountDiscord(mux, p); err != nil {
		return nil, err
	}
	// Every replica runs the scheduler; the jobs' exactly-once keys make
	// sure each notice goes out once.
	p.tasks = append(p.tasks, a.sched.Start)
	if !a.migrated {
		p.tasks = append(p.tasks, a.remigrate(30*time.Second))
	}
	if trim := a.auditTrim(); trim != nil {
		p.tasks = append(p.tasks, trim)
	}
	for _, m := range extraMounts {
		task, err := m(ctx, a, mux)
		if err != nil {
			return nil, err
		}
		if task != nil {
			p.tasks = append(p.tasks, task)
		}
	}
	return p, nil
}

// supervisor runs the chat transports, reporting to metrics.
func (a *app) supervisor() *supervise.Supervisor {
	b := a.backoff
	if b.Min <= 0 {
		b = supervise.DefaultBackoff
	}
	return &supervise.Supervisor{Backoff: b, Log: a.log,
		OnState:     func(name string, st supervise.Status) { metrics.TransportUp(name, st.Ready()) },
		OnReconnect: metrics.TransportReconnect}
}

// serve runs the HTTP server, the transports and the tasks until ctx ends
// (a signal) or no transport is left (each failed for good), then shuts
// down gracefully. ready, if set, receives the bound address. Its last
// log line says why it stopped; "stopped cleanly" only after a signal
// and a shutdown that lost nothing.
func (a *app) serve(ctx context.Context, ready chan<- string) error {
	mux := http.NewServeMux()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	p, err := a.build(ctx, mux)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", a.cfg.Server.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s (server.addr / PLEDGEBOT_ADDR): %w", a.cfg.Server.Addr, err)
	}
	a.log.Info("serving", "addr", ln.Addr().String(), "transports", p.transports.Len())
	if p.transports.Len() == 0 {
		a.log.Warn("no chat transport configured: serving the report page, /metrics and /readyz only")
	}
	for name := range p.transports.Status() {
		metrics.TransportUp(name, false)
	}
	if ready != nil {
		ready <- ln.Addr().String()
	}
	// Header and idle timeouts keep slow or idle clients from holding
	// connections open forever.
	// ReadTimeout bounds the whole request, body included: the platforms send
	// small bodies at once, and a trickled body must not hold a connection
	// before its signature can even be checked.
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 15 * time.Second,
		IdleTimeout: 2 * time.Minute}
	var wg sync.WaitGroup
	fatal := make(chan error, len(p.tasks)+2)
	for _, t := range p.tasks {
		wg.Go(func() {
			if err := t(ctx); err != nil && !errors.Is(err, context.Canceled) {
				fatal <- err
			}
		})
	}
	wg.Go(func() {
		if err := p.transports.Run(ctx); err != nil {
			fatal <- err
		}
	})
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fatal <- fmt.Errorf("HTTP server: %w", err)
		}
	}()
	var cause error
	select {
	case <-ctx.Done():
	case cause = <-fatal:
		a.log.Error("stopping: "+cause.Error(), "err", cause)
		cancel()
	}
	start := time.Now()
	err = a.shutdown(srv, &wg, p.closers)
	switch {
	case cause != nil:
		a.log.Error("stopped: "+cause.Error(), "took", time.Since(start))
		return errors.Join(cause, err)
	case err != nil:
		a.log.Error("stopped: "+err.Error(), "took", time.Since(start))
		return err
	}
	a.log.Info("stopped cleanly", "took", time.Since(start))
	return nil
}

// shutdown stops taking work and waits, at most server.shutdown_timeout,
// for what is in flight: first the HTTP server stops accepting and waits
// for its handlers, then the tasks and transports (whose context has
// ended) stop and the closers close the adapters, then the bot drains
// commands, deliveries and holds that adapters started in the background
// (replies posted after an ack).
func (a *app) shutdown(srv *http.Server, tasks *sync.WaitGroup, closers []func()) error {
	timeout := a.cfg.Server.ShutdownTimeout
	a.log.Info("shutting down", "timeout", timeout, "in_flight", a.bot.InFlight())
	ctx, done := context.WithTimeout(context.Background(), timeout)
	defer done()
	httpErr := srv.Shutdown(ctx)
	tasksDone := make(chan struct{})
	go func() {
		tasks.Wait()
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
		close(tasksDone)
	}()
	select {
	case <-tasksDone:
	case <-ctx.Done():
	}
	if n := a.bot.InFlight(); n > 0 {
		a.log.Info("waiting for background work", "in_flight", n)
	}
	drainErr := a.bot.Drain(ctx)
	if ctx.Err() != nil {
		srv.Close()
		stuck := a.bot.InFlight()
		a.log.Error("shutdown timed out; work in flight was abandoned", "timeout", timeout, "in_flight", stuck)
		return fmt.Errorf("shutdown: still busy after server.shutdown_timeout (%s): %d commands or sends in flight abandoned", timeout, stuck)
	}
	if httpErr != nil {
		return httpErr
	}
	return drainErr
}

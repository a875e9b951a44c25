package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/pledgebot/pledgebot/config"
)

// mount attaches one adapter (or other component) to a serving bot: it adds
// HTTP routes to mux and may return a background task that runs until ctx
// ends. A mount that finds its credentials unset returns (nil, nil).
type mount func(ctx context.Context, a *app, mux *http.ServeMux) (func(ctx context.Context) error, error)

// mounts is filled by each adapter's file in this package, so adding an
// adapter touches only its own file.
var mounts []mount

func runServe(ctx context.Context, args []string, stderr io.Writer) error {
	fs, cfgPath := newFlags("serve", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := config.Load(*cfgPath)
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

// serve runs the HTTP server and every mounted component until ctx ends,
// then shuts down gracefully. ready, if set, receives the bound address.
func (a *app) serve(ctx context.Context, ready chan<- string) error {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok\n")
	})
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var tasks []func(context.Context) error
	for _, m := range mounts {
		task, err := m(ctx, a, mux)
		if err != nil {
			return err
		}
		if task != nil {
			tasks = append(tasks, task)
		}
	}
	ln, err := net.Listen("tcp", a.cfg.Server.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s (server.addr / PLEDGEBOT_ADDR): %w", a.cfg.Server.Addr, err)
	}
	a.log.Info("serving", "addr", ln.Addr().String())
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
	errs := make(chan error, len(tasks)+1)
	for _, t := range tasks {
		wg.Go(func() {
			if err := t(ctx); err != nil && !errors.Is(err, context.Canceled) {
				errs <- err
				cancel()
			}
		})
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs <- err
			cancel()
		}
	}()
	<-ctx.Done()
	err = a.shutdown(srv, &wg)
	select {
	case e := <-errs:
		return e
	default:
		return err
	}
}

// shutdown stops taking work and waits, at most server.shutdown_timeout,
// for what is in flight: first the HTTP server stops accepting and waits
// for its handlers, then the mounted tasks (whose context has ended) close
// their adapters, then the bot drains commands, deliveries and holds that
// adapters started in the background (replies posted after an ack).
func (a *app) shutdown(srv *http.Server, tasks *sync.WaitGroup) error {
	timeout := a.cfg.Server.ShutdownTimeout
	a.log.Info("shutting down", "timeout", timeout, "in_flight", a.bot.InFlight())
	ctx, done := context.WithTimeout(context.Background(), timeout)
	defer done()
	start := time.Now()
	httpErr := srv.Shutdown(ctx)
	tasksDone := make(chan struct{})
	go func() { tasks.Wait(); close(tasksDone) }()
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
	if drainErr != nil {
		return drainErr
	}
	a.log.Info("stopped cleanly", "took", time.Since(start))
	return nil
}

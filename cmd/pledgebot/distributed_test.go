package main

import (
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"testing"

	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/pledgetest"
)

// serveDistributed opens an app with Slack distribution configured against
// the fake Slack at fakeURL (signing secret "s3cret"), under a private
// prefix, and serves it until the test ends. It returns the app, its base
// URL and the prefix. With debug the logs are written at debug level.
func serveDistributed(t *testing.T, fakeURL string, logs io.Writer, debug bool) (*app, string, string) {
	t.Helper()
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	prefix := pledgetest.Prefix(t, pledgetest.Client(t))
	cfg.Redis = testRedis(prefix)
	cfg.Server.Addr = "127.0.0.1:0"
	cfg.Reports.BaseURL = "https://pb.example.org"
	level := slog.LevelWarn
	if debug {
		cfg.Log.Level, level = "debug", slog.LevelDebug
	}
	cfg.Slack = config.Slack{SigningSecret: "s3cret", ClientID: "1.2", ClientSecret: "cs", APIURL: fakeURL + "/api/",
		TokenKey: base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := openApp(ctx, cfg, logs, level, nil)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- a.serve(ctx, ready) }()
	addr := <-ready
	t.Cleanup(func() { // before a.Close: cleanups run last first
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return a, "http://" + addr, prefix
}

// startInstall asks base for GET /slack/install without following the
// redirect, and returns the answer's status and where it points.
func startInstall(t *testing.T, base string) (int, *url.URL) {
	t.Helper()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(base + "/slack/install")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	return resp.StatusCode, loc
}

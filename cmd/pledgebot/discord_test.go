package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	slackadapter "github.com/pledgebot/pledgebot/adapters/slack"
	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/supervise"
)

func TestDiscordRegister(t *testing.T) {
	var mu sync.Mutex
	var got []string
	var body []byte
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, r.Method+" "+r.URL.Path+" "+r.Header.Get("Authorization"))
		body, _ = io.ReadAll(r.Body)
		io.WriteString(w, "[]")
	}))
	defer fake.Close()
	t.Setenv("DISCORD_BOT_TOKEN", "sekrit")
	t.Setenv("DISCORD_APPLICATION_ID", "999")
	t.Setenv("DISCORD_API_URL", fake.URL+"/api/v10")
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"discord-register", "--guild", "123"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if len(got) != 1 || got[0] != "PUT /api/v10/applications/999/guilds/123/commands Bot sekrit" {
		t.Fatalf("requests: %v", got)
	}
	var cmds []struct{ Name string }
	if err := json.Unmarshal(body, &cmds); err != nil || len(cmds) < 3 || cmds[0].Name != "business" {
		t.Fatalf("body: %v %s", err, body)
	}
	if !strings.Contains(out.String(), "in server 123") {
		t.Errorf("output: %s", out.String())
	}
	t.Setenv("DISCORD_APPLICATION_ID", "")
	if code := run(context.Background(), []string{"discord-register"}, nil, &out, &errOut); code == 0 || !strings.Contains(errOut.String(), "DISCORD_APPLICATION_ID") {
		t.Fatalf("missing app id: exit %d %s", code, errOut.String())
	}
}

func TestServeMountsDiscordInteractions(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	t.Setenv("REDIS_URL", "")
	t.Setenv("DISCORD_BOT_TOKEN", "")
	t.Setenv("DISCORD_PUBLIC_KEY", hex.EncodeToString(pub))
	t.Setenv("PLEDGEBOT_ADDR", "127.0.0.1:0")
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := openApp(ctx, cfg, io.Discard, slog.LevelError, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- a.serve(ctx, ready) }()
	addr := <-ready
	defer func() { cancel(); <-done }()
	post := func(sign bool) (int, string) {
		body := []byte(`{"id":"1","type":1,"token":"t","version":1}`)
		req, _ := http.NewRequest("POST", "http://"+addr+"/discord/interactions", bytes.NewReader(body))
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		req.Header.Set("X-Signature-Timestamp", ts)
		if sign {
			req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(priv, append([]byte(ts), body...))))
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := post(true); code != 200 || body != `{"type":1}` {
		t.Errorf("signed PING: %d %s", code, body)
	}
	if code, _ := post(false); code != 401 {
		t.Errorf("unsigned PING: %d", code)
	}
}

// A Discord gateway that refuses at start-up does not take the process
// down: /healthz and Slack keep answering, /readyz says the gateway is
// connecting and why (503), then ok once the gateway accepts; an op 7 is
// answered by resuming the session; and shutdown ends it all promptly.
func TestServeKeepsServingWhileDiscordGatewayIsDown(t *testing.T) {
	clearEnv(t)
	cfgPath, _, _ := cliRedis(t)
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	var accept atomic.Bool
	var refused atomic.Int32
	got := make(chan map[string]any, 10)
	conns := make(chan *websocket.Conn, 10)
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/api/v10/gateway" && !accept.Load():
			refused.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, `{"message":"unavailable","code":0}`)
		case r.URL.Path == "/api/v10/gateway":
			io.WriteString(w, `{"url":"ws://`+r.Host+`/gw"}`)
		case r.URL.Path == "/gw/":
			c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
			if err != nil {
				return
			}
			defer c.Close()
			c.WriteJSON(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 45000}})
			var m map[string]any
			if err := c.ReadJSON(&m); err != nil {
				return
			}
			got <- m
			if m["op"].(float64) == 6 {
				c.WriteJSON(map[string]any{"op": 0, "s": 2, "t": "RESUMED", "d": map[string]any{}})
			} else {
				c.WriteJSON(map[string]any{"op": 0, "s": 1, "t": "READY", "d": map[string]any{"v": 10, "session_id": "sess",
					"user": map[string]any{"id": "999", "username": "pledgebot"}, "guilds": []any{}}})
			}
			conns <- c
			for {
				if _, _, err := c.ReadMessage(); err != nil {
					return
				}
			}
		default:
			http.Error(w, `{"ok":false,"error":"unknown_method"}`, http.StatusNotFound)
		}
	}))
	defer fake.Close()
	cfg.Server.Addr = "127.0.0.1:0"
	cfg.Discord = config.Discord{BotToken: "gateway-token", APIURL: fake.URL + "/api/v10"}
	cfg.Slack = config.Slack{SigningSecret: "s3cret", BotToken: "xoxb-x", APIURL: fake.URL + "/slack/"}
	var logs syncBuffer
	a, err := openApp(context.Background(), cfg, &logs, slog.LevelInfo, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	a.backoff = supervise.Backoff{Min: 5 * time.Millisecond, Max: 50 * time.Millisecond}
	base, stop := serveApp(t, a)

	others := func(when string) {
		t.Helper()
		if code, body := get(t, base+"/healthz"); code != 200 || body != "ok\n" {
			t.Fatalf("/healthz %s: %d %q", when, code, body)
		}
		body := url.Values{"command": {"/pledgebot"}, "text": {"help"}, "team_id": {"T1"}, "user_id": {"U1"}, "trigger_id": {"x1"}}.Encode()
		req, _ := http.NewRequest(http.MethodPost, base+"/slack/commands", strings.NewReader(body))
		ts := time.Now().Unix()
		req.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(ts, 10))
		req.Header.Set("X-Slack-Signature", slackadapter.Sign("s3cret", ts, []byte(body)))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("Slack command %s: %v", when, err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("Slack command %s: %d", when, resp.StatusCode)
		}
	}

	// Refused: the process serves, and /readyz names the gateway and why.
	var rb readyBody
	var code int
	waitFor(t, "/readyz to report the refused gateway", func() bool {
		code, rb = readyz(t, base)
		return strings.HasPrefix(rb.Checks["discord-gateway"], "connecting: ")
	})
	if code != http.StatusServiceUnavailable || rb.Checks["redis"] != "ok" || len(rb.Failed) != 1 || rb.Failed[0] != "discord-gateway" ||
		!strings.Contains(rb.Checks["discord-gateway"], "503") {
		t.Fatalf("/readyz while the gateway refuses: %d %+v", code, rb)
	}
	others("while the gateway refuses")
	waitFor(t, "a second refused attempt", func() bool { return refused.Load() >= 2 })
	others("after retries")

	// Accepted: ready.
	accept.Store(true)
	if id := recvT(t, got, "IDENTIFY"); id["op"].(float64) != 2 {
		t.Fatalf("first message: %v", id)
	}
	c := recvT(t, conns, "READY")
	waitFor(t, "/readyz to turn ready", func() bool { code, _ := readyz(t, base); return code == 200 })
	if _, rb := readyz(t, base); rb.Checks["discord-gateway"] != "ok" {
		t.Fatalf("/readyz once connected: %+v", rb)
	}

	// Op 7: the bot resumes its session and is ready again.
	c.WriteJSON(map[string]any{"op": 7, "d": nil})
	if m := recvT(t, got, "RESUME after op 7"); m["op"].(float64) != 6 || !strings.Contains(fmt.Sprint(m["d"]), "session_id:sess") {
		t.Fatalf("after op 7: %v", m)
	}
	recvT(t, conns, "RESUMED")
	waitFor(t, "/readyz to turn ready after resuming", func() bool { code, _ := readyz(t, base); return code == 200 })
	others("after resuming")

	start := time.Now()
	if err := stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("shutdown took %s", d)
	}
	for _, want := range []string{"discord-gateway: connecting; retrying", "discord-gateway: connected", "stopped cleanly"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
}

// recvT fails the test instead of hanging when a step never happens.
func recvT[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(30 * time.Second):
		t.Fatalf("no %s", what)
		panic("unreachable")
	}
}

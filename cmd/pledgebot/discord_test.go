package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/config"
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

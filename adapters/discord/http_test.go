package discord

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

func TestSignatures(t *testing.T) {
	e := newEnv(t)
	ping := e.interaction(discordgo.InteractionPing, alice, nil)
	ts := strconv.FormatInt(e.now.Unix(), 10)
	sign := func(ts string, body []byte) string {
		return hex.EncodeToString(ed25519.Sign(e.key, append([]byte(ts), body...)))
	}
	_, otherKey, _ := ed25519.GenerateKey(nil)
	stale := strconv.FormatInt(e.now.Add(-MaxSkew-time.Second).Unix(), 10)
	future := strconv.FormatInt(e.now.Add(MaxSkew+time.Second).Unix(), 10)
	recent := strconv.FormatInt(e.now.Add(-MaxSkew+time.Second).Unix(), 10)
	tampered := bytes.Replace(ping, []byte(`"type":1`), []byte(`"type":2`), 1)
	for _, tc := range []struct {
		name     string
		body     []byte
		ts, sig  string
		wantCode int
	}{
		{"valid", ping, ts, sign(ts, ping), 200},
		{"4m59s old", ping, recent, sign(recent, ping), 200},
		{"missing signature", ping, ts, "", 401},
		{"missing timestamp", ping, "", sign(ts, ping), 401},
		{"missing both", ping, "", "", 401},
		{"other key", ping, ts, hex.EncodeToString(ed25519.Sign(otherKey, append([]byte(ts), ping...))), 401},
		{"tampered body", tampered, ts, sign(ts, ping), 401},
		{"signature not hex", ping, ts, "zz" + sign(ts, ping)[2:], 401},
		{"short signature", ping, ts, sign(ts, ping)[:64], 401},
		{"stale", ping, stale, sign(stale, ping), 401},
		{"future", ping, future, sign(future, ping), 401},
		{"timestamp not a number", ping, "abc", sign("abc", ping), 401},
		{"timestamp moved", ping, strconv.FormatInt(e.now.Unix()-1, 10), sign(ts, ping), 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out := e.postSigned(tc.body, tc.ts, tc.sig)
			if code != tc.wantCode {
				t.Fatalf("status %d, want %d: %s", code, tc.wantCode, out)
			}
			if code == 200 {
				if string(out) != `{"type":1}` {
					t.Fatalf("PING answered %s", out)
				}
				validate(t, pathSchema(t, opCallback, "post"), out, "PONG")
			}
		})
	}
}

func TestHTTPLimits(t *testing.T) {
	e := newEnv(t)
	big := append([]byte(`{"type":1,"x":"`), bytes.Repeat([]byte("a"), MaxBody)...)
	big = append(big, `"}`...)
	if code, _ := e.post(big); code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: %d", code)
	}
	rec := httptest.NewRecorder()
	e.a.ServeHTTP(rec, httptest.NewRequest("GET", "/discord/interactions", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", rec.Code)
	}
	if code, _ := e.post([]byte(`{"type":"nope"}`)); code != http.StatusBadRequest {
		t.Errorf("undecodable body: %d", code)
	}
	// Without a configured key every request is refused.
	noKey := New(Options{Bot: e.h.Bot, Session: e.a.session})
	req := httptest.NewRequest("POST", "/discord/interactions", strings.NewReader(`{"type":1}`))
	req.Header.Set("X-Signature-Timestamp", "1")
	req.Header.Set("X-Signature-Ed25519", strings.Repeat("00", 64))
	rec = httptest.NewRecorder()
	noKey.ServeHTTP(rec, req)
	if rec.Code != 401 {
		t.Errorf("no key: %d", rec.Code)
	}
	if _, err := ParsePublicKey("abcd"); err == nil {
		t.Error("short public key accepted")
	}
	if k, err := ParsePublicKey(strings.Repeat("ab", 32)); err != nil || len(k) != 32 {
		t.Errorf("good key refused: %v", err)
	}
}

package discord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/pledgetest"
)

// fakeAPI is a local stand-in for Discord's REST API. It checks every
// request body against discord-openapi.json and records what it got.
type fakeAPI struct {
	t   testing.TB
	srv *httptest.Server

	mu       sync.Mutex
	calls    []call
	limitOne map[string]bool // route prefixes answered 429 once
	// gateway, when set, serves GET /api/v10/gateway and the websocket.
	gateway http.Handler
	called  chan call // every recorded call, when set
}

type call struct {
	Method, Path string
	Body         []byte            // JSON body, or a multipart request's payload_json
	Files        map[string][]byte // multipart attachments by file name
}

var routes = []struct {
	method string
	re     *regexp.Regexp
	op     string
	reply  string
}{
	{"PUT", regexp.MustCompile(`^/api/v10/applications/\d+/commands$`), opCommands, `[]`},
	{"PUT", regexp.MustCompile(`^/api/v10/applications/\d+/guilds/\d+/commands$`), opGuildCommands, `[]`},
	{"POST", regexp.MustCompile(`^/api/v10/interactions/\d+/[^/]+/callback$`), opCallback, ``},
	{"PATCH", regexp.MustCompile(`^/api/v10/webhooks/\d+/[^/]+/messages/@original$`), opEditOriginal, `{"id":"7001","channel_id":"444"}`},
	{"POST", regexp.MustCompile(`^/api/v10/webhooks/\d+/[^/]+$`), opFollowup, `{"id":"7002","channel_id":"444"}`},
	{"POST", regexp.MustCompile(`^/api/v10/users/@me/channels$`), opDM, `{"id":"555","type":1}`},
	{"POST", regexp.MustCompile(`^/api/v10/channels/\d+/messages$`), opMessage, `{"id":"7003","channel_id":"555"}`},
}

func newFakeAPI(t testing.TB) *fakeAPI {
	f := &fakeAPI{t: t, limitOne: map[string]bool{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	if f.gateway != nil && (r.URL.Path == "/api/v10/gateway" || strings.HasPrefix(r.URL.Path, "/gw")) {
		f.gateway.ServeHTTP(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	var files map[string][]byte
	if mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		raw := body
		body, files = nil, map[string][]byte{}
		mr := multipart.NewReader(bytes.NewReader(raw), params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			b, _ := io.ReadAll(p)
			if p.FormName() == "payload_json" {
				body = b
			} else {
				files[p.FileName()] = b
			}
		}
	}
	path := r.URL.EscapedPath()
	unescaped := strings.ReplaceAll(path, "%40", "@")
	f.mu.Lock()
	for prefix := range f.limitOne {
		if strings.HasPrefix(unescaped, prefix) {
			delete(f.limitOne, prefix)
			f.calls = append(f.calls, call{Method: r.Method, Path: unescaped + " (429)", Body: body})
			f.mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, `{"message":"You are being rate limited.","retry_after":0.001,"global":false}`)
			return
		}
	}
	f.calls = append(f.calls, call{r.Method, unescaped, body, files})
	if f.called != nil {
		f.called <- call{r.Method, unescaped, body, files}
	}
	f.mu.Unlock()
	for _, rt := range routes {
		if rt.method == r.Method && rt.re.MatchString(unescaped) {
			validate(f.t, pathSchema(f.t, rt.op, strings.ToLower(rt.method)), body, r.Method+" "+unescaped)
			if rt.reply == "" {
				w.WriteHeader(http.StatusNoContent)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, rt.reply)
			return
		}
	}
	f.t.Errorf("fake Discord: unexpected %s %s", r.Method, unescaped)
	http.Error(w, `{"message":"404: Not Found","code":0}`, http.StatusNotFound)
}

func (f *fakeAPI) Calls() []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]call(nil), f.calls...)
}

// session points a discordgo session at the fake through DISCORD_API_URL's
// transport rewrite.
func (f *fakeAPI) session(t testing.TB, token string) *discordgo.Session {
	s, err := NewSession(token, f.srv.URL+"/api/v10", nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Test identities: Discord ids are snowflakes.
const (
	guild     = "111"
	alice     = "222"
	bob       = "333"
	appID     = "999"
	channel   = "444"
	slackTeam = "T1"
)

// env is a bot on real Redis whose community spans a Discord guild, a Slack
// team and the console, with the adapter in front and a fake Discord behind.
type env struct {
	t    testing.TB
	h    *pledgetest.Harness
	a    *Adapter
	api  *fakeAPI
	key  ed25519.PrivateKey
	now  time.Time
	n    int
	http http.Handler
}

func newEnv(t testing.TB, opts ...func(*Options)) *env {
	t.Helper()
	cfg := envConfig()
	return newEnvOn(t, pledgetest.NewWithConfig(t, cfg), opts...)
}

// envConfig is the community every env's harness is built with.
func envConfig() *config.Config {
	return &config.Config{Themes: config.DefaultThemes, Communities: []config.Community{{
		ID: "town", Workspaces: []string{"discord:" + guild, "slack:" + slackTeam, "console:local"}}}}
}

// newEnvOn is newEnv on a harness of the test's own (a Redis it can
// stall), built with envConfig.
func newEnvOn(t testing.TB, h *pledgetest.Harness, opts ...func(*Options)) *env {
	t.Helper()
	api := newFakeAPI(t)
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, h: h, api: api, key: priv, now: time.Unix(1_790_000_000, 0)}
	o := Options{Bot: h.Bot, Session: api.session(t, ""), PublicKey: pub, Now: func() time.Time { return e.now }}
	for _, f := range opts {
		f(&o)
	}
	e.a = New(o)
	e.http = e.a
	t.Cleanup(e.a.Wait)
	return e
}

// interaction builds an interaction body from user and data.
func (e *env) interaction(typ discordgo.InteractionType, user string, data any) []byte {
	e.n++
	return e.interactionID(strconv.Itoa(800000+e.n), typ, user, data)
}

func (e *env) interactionID(id string, typ discordgo.InteractionType, user string, data any) []byte {
	m := map[string]any{"id": id, "application_id": appID, "type": int(typ), "token": "tok" + id,
		"version": 1, "guild_id": guild, "channel_id": channel,
		"member": map[string]any{"user": map[string]any{"id": user, "username": "user" + user}, "roles": []string{}}}
	if data != nil {
		m["data"] = data
	}
	return mustJSON(e.t, m)
}

// post signs and delivers a body, returning status and response body.
func (e *env) post(body []byte) (int, []byte) {
	ts := strconv.FormatInt(e.now.Unix(), 10)
	return e.postSigned(body, ts, hex.EncodeToString(ed25519.Sign(e.key, append([]byte(ts), body...))))
}

func (e *env) postSigned(body []byte, ts, sig string) (int, []byte) {
	req := httptest.NewRequest("POST", "/discord/interactions", bytes.NewReader(body))
	if ts != "" {
		req.Header.Set("X-Signature-Timestamp", ts)
	}
	if sig != "" {
		req.Header.Set("X-Signature-Ed25519", sig)
	}
	rec := httptest.NewRecorder()
	e.http.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// do delivers an interaction that must be answered 200 with a body valid
// for the interaction callback, and decodes the answer.
func (e *env) do(body []byte) discordgo.InteractionResponse {
	e.t.Helper()
	code, out := e.post(body)
	if code != http.StatusOK {
		e.t.Fatalf("status %d: %s", code, out)
	}
	validate(e.t, pathSchema(e.t, opCallback, "post"), out, "interaction response")
	r := decodeAnswer(e.t, out)
	var raw map[string]any
	json.Unmarshal(out, &raw)
	if d, ok := raw["data"].(map[string]any); ok && (r.Type == 4 || r.Type == 7) {
		am, _ := d["allowed_mentions"].(map[string]any)
		if p, ok := am["parse"].([]any); !ok || len(p) != 0 {
			e.t.Fatalf("answer without allowed_mentions {parse: []}: %s", out)
		}
	}
	return r
}

// slash builds APPLICATION_COMMAND data: /command sub name:value...
func slashData(command, sub string, opts ...any) map[string]any {
	var os []map[string]any
	for i := 0; i+1 < len(opts); i += 2 {
		o := map[string]any{"name": opts[i], "value": opts[i+1]}
		switch opts[i+1].(type) {
		case bool:
			o["type"] = 5
		case int:
			o["type"] = 4
		case float64:
			o["type"] = 10
		default:
			o["type"] = 3
		}
		os = append(os, o)
	}
	d := map[string]any{"id": "1", "name": command, "type": 1}
	if sub == "" {
		d["options"] = os
	} else {
		d["options"] = []map[string]any{{"name": sub, "type": 1, "options": os}}
	}
	return d
}

// run delivers a slash command as user and returns the answer's text.
func (e *env) slash(user, command, sub string, opts ...any) discordgo.InteractionResponse {
	e.t.Helper()
	return e.do(e.interaction(discordgo.InteractionApplicationCommand, user, slashData(command, sub, opts...)))
}

// answerText flattens an answer's embeds for assertions.
func answerText(r discordgo.InteractionResponse) string {
	if r.Data == nil {
		return ""
	}
	return embedsText(r.Data.Embeds)
}

func embedsText(es []*discordgo.MessageEmbed) string {
	var b strings.Builder
	for _, em := range es {
		fmt.Fprintln(&b, em.Title)
		fmt.Fprintln(&b, em.Description)
		for _, f := range em.Fields {
			fmt.Fprintln(&b, f.Name+": "+f.Value)
		}
	}
	return b.String()
}

func customIDs(cs []discordgo.MessageComponent) []string {
	var out []string
	for _, c := range cs {
		switch c := c.(type) {
		case *discordgo.ActionsRow:
			out = append(out, customIDs(c.Components)...)
		case discordgo.ActionsRow:
			out = append(out, customIDs(c.Components)...)
		case *discordgo.Button:
			out = append(out, c.CustomID)
		case discordgo.Button:
			out = append(out, c.CustomID)
		case *discordgo.TextInput:
			out = append(out, c.CustomID)
		case discordgo.TextInput:
			out = append(out, c.CustomID)
		}
	}
	return out
}

var _ = bot.Discord
var _ = context.Background

// decodeAnswer reads an interaction response; discordgo can marshal its
// components but not read them back, so they are decoded one by one.
func decodeAnswer(t testing.TB, b []byte) discordgo.InteractionResponse {
	t.Helper()
	var raw struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data *struct {
			discordgo.InteractionResponseData
			Components []json.RawMessage `json:"components"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	r := discordgo.InteractionResponse{Type: raw.Type}
	if raw.Data != nil {
		d := raw.Data.InteractionResponseData
		d.Components = components(t, raw.Data.Components)
		r.Data = &d
	}
	return r
}

func components(t testing.TB, raws []json.RawMessage) []discordgo.MessageComponent {
	var out []discordgo.MessageComponent
	for _, c := range raws {
		mc, err := discordgo.MessageComponentFromJSON(c)
		if err != nil {
			t.Fatalf("component %s: %v", c, err)
		}
		out = append(out, mc)
	}
	return out
}

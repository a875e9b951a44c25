package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	slackadapter "github.com/pledgebot/pledgebot/adapters/slack"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/config"
)

func TestSlackManifestCommand(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"slack-manifest", "--url", "https://pb.example.org"}, nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var m map[string]any
	if err := json.Unmarshal(out.Bytes(), &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out.String())
	}
	for _, want := range []string{`"/pledge"`, `"/business"`, `"/pledgebot"`, "https://pb.example.org/slack/events"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("manifest lacks %s", want)
		}
	}
	out.Reset()
	if code := run(context.Background(), []string{"slack-manifest"}, nil, &out, &errb); code == 0 {
		t.Fatal("slack-manifest without --url succeeded")
	}
}

func TestServeMountsSlack(t *testing.T) {
	var posted atomic.Int32
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/chat.postMessage") {
			posted.Add(1)
			io.WriteString(w, `{"ok":true,"channel":"C1","ts":"1.1"}`)
			return
		}
		io.WriteString(w, `{"ok":false,"error":"unknown_method"}`)
	}))
	defer fake.Close()
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Redis = config.Redis{}
	cfg.Server.Addr = "127.0.0.1:0"
	cfg.Slack = config.Slack{SigningSecret: "s3cret", BotToken: "xoxb-x", APIURL: fake.URL + "/api/"}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := openApp(ctx, cfg, io.Discard, slog.LevelWarn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- a.serve(ctx, ready) }()
	addr := <-ready
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()

	body := url.Values{"command": {"/business"}, "text": {"register Served Ltd"}, "team_id": {"T1"}, "user_id": {"U1"}, "trigger_id": {"x1"}}.Encode()
	post := func(sign bool) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/slack/commands", strings.NewReader(body))
		if sign {
			ts := time.Now().Unix()
			req.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(ts, 10))
			req.Header.Set("X-Slack-Signature", slackadapter.Sign("s3cret", ts, []byte(body)))
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := post(false); code != http.StatusUnauthorized {
		t.Fatalf("unsigned: %d", code)
	}
	if code, out := post(true); code != 200 || !strings.Contains(out, "Registered business #1: Served Ltd") {
		t.Fatalf("signed: %d %s", code, out)
	}
	// The adapter is the bot's sender for Slack notices.
	err = a.bot.Deliver(ctx, bot.Notice{To: bot.Recipient{Platform: bot.Slack, Workspace: "T1", Channel: "C1"}, Reply: bot.Reply{Title: "Digest"}})
	if err != nil || posted.Load() != 1 {
		t.Fatalf("deliver: %v, %d posts", err, posted.Load())
	}
}

func TestSlackManifestDistribution(t *testing.T) {
	out, code := runCLI("", "slack-manifest", "--url", "https://pb.example.org/", "--distribution")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	var m struct {
		Display struct {
			Description string `json:"description"`
		} `json:"display_information"`
		OAuth struct {
			RedirectURLs []string `json:"redirect_urls"`
		} `json:"oauth_config"`
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	if len(m.OAuth.RedirectURLs) != 1 || m.OAuth.RedirectURLs[0] != "https://pb.example.org/slack/oauth/callback" ||
		!strings.HasSuffix(m.Display.Description, " Install: https://pb.example.org/slack/install") {
		t.Fatalf("%+v", m)
	}
	if out, code := runCLI("", "slack-manifest", "--url", "https://pb.example.org"); code != 0 || strings.Contains(out, "redirect_urls") {
		t.Fatalf("without --distribution: %d %s", code, out)
	}
	if _, code := runCLI("", "slack-manifest", "--socket-mode", "--distribution"); code == 0 {
		t.Fatal("--distribution without --url succeeded")
	}
}

// TestSlackManifestDistributionFromConfig: with SLACK_CLIENT_ID
// configured, the manifest is the distribution one without the flag;
// --distribution=false still leaves it out; without --url it cannot be,
// and stderr says why.
func TestSlackManifestDistributionFromConfig(t *testing.T) {
	clearEnv(t)
	t.Setenv("SLACK_CLIENT_ID", "1.2")
	if out, code := runCLI("", "slack-manifest", "--url", "https://pb.example.org"); code != 0 ||
		strings.Contains(out, "redirect_urls") || !strings.Contains(out, "slack.client_secret: is required") {
		t.Fatalf("with a configuration that does not load: %d %s", code, out)
	}
	t.Setenv("SLACK_CLIENT_SECRET", "cs")
	t.Setenv("SLACK_SIGNING_SECRET", "s3cret")
	t.Setenv("SLACK_TOKEN_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
	if out, code := runCLI("", "slack-manifest", "--url", "https://pb.example.org"); code != 0 ||
		!strings.Contains(out, `"https://pb.example.org/slack/oauth/callback"`) {
		t.Fatalf("with SLACK_CLIENT_ID: %d %s", code, out)
	}
	if out, code := runCLI("", "slack-manifest", "--url", "https://pb.example.org", "--distribution=false"); code != 0 ||
		strings.Contains(out, "redirect_urls") {
		t.Fatalf("--distribution=false: %d %s", code, out)
	}
	if out, code := runCLI("", "slack-manifest", "--socket-mode"); code != 0 || strings.Contains(out, "redirect_urls") ||
		!strings.Contains(out, "without --url the manifest cannot name the OAuth redirect URL") {
		t.Fatalf("socket mode: %d %s", code, out)
	}
}

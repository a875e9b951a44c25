package integration

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	slackadapter "github.com/pledgebot/pledgebot/adapters/slack"
)

// The pledgebot binary, built once for every test of the package that
// runs it as a separate process.
var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

func pledgebotBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "pledgebot-bin")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "pledgebot")
		cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", binPath, "./cmd/pledgebot")
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

const (
	testSecret = "integration-signing-secret"
	testTeam   = "T1"
	community  = "town"
	adminUser  = "UADMIN"
)

// testConfig is the YAML every replica reads: one community owning the
// Slack team, with an admin.
func testConfig(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "pledgebot.yaml")
	yaml := "redis:\n  prefix: pb\nlog:\n  level: warn\ncommunities:\n  - id: " + community +
		"\n    name: Town Network\n    workspaces: [\"slack:" + testTeam + "\"]\n    admins: [\"slack:" + testTeam + ":" + adminUser + "\"]\n"
	if err := os.WriteFile(p, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// slackFake stands in for both Slack's Web API (SLACK_API_URL) and the
// response_url a slash command gives: every API method answers ok, and
// each response_url post is kept under its path.
type slackFake struct {
	srv   *httptest.Server
	mu    sync.Mutex
	posts map[string][]string // response_url path -> message texts
	calls map[string]int      // API method -> calls
}

func newSlackFake(t *testing.T) *slackFake {
	f := &slackFake{posts: map[string][]string{}, calls: map[string]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		defer f.mu.Unlock()
		if strings.HasPrefix(r.URL.Path, "/resp/") {
			var m struct{ Text string }
			json.Unmarshal(body, &m)
			f.posts[r.URL.Path] = append(f.posts[r.URL.Path], m.Text)
			return
		}
		f.calls[strings.TrimPrefix(r.URL.Path, "/api/")]++
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true,"channel":"C1","ts":"1.1","user_id":"UBOT","team_id":"T1","bot_id":"B1"}`)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *slackFake) post(path string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if p := f.posts[path]; len(p) > 0 {
		return p[0], true
	}
	return "", false
}

// replica is one `pledgebot serve` process.
type replica struct {
	URL  string
	cmd  *exec.Cmd
	logs *bytes.Buffer
}

// startReplica runs `pledgebot serve` on a free loopback port against
// Redis at redisURL and waits for /healthz.
func startReplica(t *testing.T, bin, cfg, redisURL string, slack *slackFake) *replica {
	t.Helper()
	port := FreePort(t)
	r := &replica{URL: "http://127.0.0.1:" + strconv.Itoa(port), logs: &bytes.Buffer{}}
	r.cmd = exec.Command(bin, "serve", "--config", cfg)
	env := []string{}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "REDIS_") || strings.HasPrefix(k, "SLACK_") || strings.HasPrefix(k, "DISCORD_") || strings.HasPrefix(k, "PLEDGEBOT_") {
			continue
		}
		env = append(env, kv)
	}
	r.cmd.Env = append(env, "REDIS_URL="+redisURL, "PLEDGEBOT_ADDR=127.0.0.1:"+strconv.Itoa(port),
		"SLACK_SIGNING_SECRET="+testSecret, "SLACK_BOT_TOKEN=xoxb-integration", "SLACK_API_URL="+slack.srv.URL+"/api/")
	r.cmd.Stdout, r.cmd.Stderr = r.logs, r.logs
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.stop(t) })
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := http.Get(r.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return r
			}
		}
		if time.Now().After(deadline) || r.cmd.ProcessState != nil {
			t.Fatalf("replica on %d did not start:\n%s", port, r.logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop asks the replica to shut down gracefully, and kills it if it hangs.
func (r *replica) stop(t *testing.T) {
	if r.cmd.Process == nil || r.cmd.ProcessState != nil {
		return
	}
	r.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { r.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		r.cmd.Process.Kill()
		<-done
		t.Errorf("replica %s did not stop on SIGTERM:\n%s", r.URL, r.logs)
	}
}

// slashResult is what a slash command came to: the HTTP status and the
// reply text, whether inline or posted later to response_url.
type slashResult struct {
	Status int
	Text   string
	Err    error
}

var respSeq struct {
	sync.Mutex
	n int
}

// slash sends a correctly signed slash command to a replica, as Slack
// does, and waits (bounded) for its answer.
func slash(client *http.Client, r *replica, slack *slackFake, user, trigger, command, text string) slashResult {
	respSeq.Lock()
	respSeq.n++
	path := "/resp/" + strconv.Itoa(respSeq.n)
	respSeq.Unlock()
	body := []byte(url.Values{"command": {command}, "text": {text}, "team_id": {testTeam}, "user_id": {user},
		"user_name": {strings.ToLower(user)}, "channel_id": {"C1"}, "response_url": {slack.srv.URL + path},
		"trigger_id": {trigger}}.Encode())
	req, _ := http.NewRequest(http.MethodPost, r.URL+"/slack/commands", bytes.NewReader(body))
	ts := time.Now().Unix()
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("X-Slack-Signature", slackadapter.Sign(testSecret, ts, body))
	resp, err := client.Do(req)
	if err != nil {
		return slashResult{Err: err}
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := slashResult{Status: resp.StatusCode}
	if resp.StatusCode != 200 {
		out.Text = string(raw)
		return out
	}
	if len(bytes.TrimSpace(raw)) > 0 {
		var m struct{ Text string }
		if err := json.Unmarshal(raw, &m); err != nil {
			out.Err = fmt.Errorf("reply is not JSON: %q", raw)
		}
		out.Text = m.Text
		return out
	}
	// Acknowledged: the answer comes to response_url.
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if text, ok := slack.post(path); ok {
			out.Text = text
			return out
		}
		time.Sleep(10 * time.Millisecond)
	}
	out.Err = fmt.Errorf("no answer on response_url for %s %s", command, text)
	return out
}

// mustSlash is slash that fails the test (without stopping it, so it may
// run in any goroutine) on anything but a success reply.
func mustSlash(t *testing.T, client *http.Client, r *replica, slack *slackFake, user, trigger, command, text string) string {
	t.Helper()
	res := slash(client, r, slack, user, trigger, command, text)
	if res.Err != nil || res.Status != 200 || strings.HasPrefix(res.Text, "Sorry") {
		t.Errorf("%s %s: status %d err %v text %q", command, text, res.Status, res.Err, res.Text)
	}
	return res.Text
}

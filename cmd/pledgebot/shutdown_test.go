package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/pledgebot/pledgebot/adapters/console"
	"github.com/pledgebot/pledgebot/bot"
)

// childEnv, with PLEDGEBOT_TEST_MAIN=1, makes the test binary run as
// pledgebot with the slow test component below mounted (see TestMain).
const childEnv = "PLEDGEBOT_TEST_CHILD"

// mountSlow adds a /slow command that blocks until released through the
// process's stdin (a line "sync" releases ids starting with s, end of input
// releases all), and HTTP routes that run it the two ways adapters do: answering
// in the request (/test/slow), and acknowledging at once then replying in
// the background with a Deliver (/test/async, as Slack's response_url
// flow does). /test/waiting says how many /slow commands are blocked.
func mountSlow(ctx context.Context, a *app, mux *http.ServeMux) (func(context.Context) error, error) {
	releaseSync, releaseAll := make(chan struct{}), make(chan struct{})
	go func() {
		sc := bufio.NewScanner(os.Stdin)
		for sc.Scan() {
			if sc.Text() == "sync" {
				close(releaseSync)
			}
		}
		close(releaseAll)
	}()
	var waiting atomic.Int32
	a.bot.Register(&bot.Command{Name: "slow", Subs: []*bot.Subcommand{{
		Options: []bot.Option{{Name: "id", Type: bot.Text, Positional: true, Rest: true, Required: true}},
		Run: func(ctx context.Context, c *bot.Call) (bot.Reply, error) {
			waiting.Add(1)
			if strings.HasPrefix(c.Args.String("id"), "s") {
				<-releaseSync
			} else {
				<-releaseAll
			}
			return bot.Reply{Text: "done " + c.Args.String("id")}, nil
		},
	}}})
	a.bot.AddSender(bot.Console, &stdoutSender{})
	req := func(id string) bot.Request {
		return bot.Request{From: console.Identity("tester"), Command: "slow", Text: id}
	}
	mux.HandleFunc("POST /test/slow", func(w http.ResponseWriter, r *http.Request) {
		reply := a.bot.Handle(r.Context(), req(r.URL.Query().Get("id")))
		if reply.Err != nil {
			http.Error(w, reply.Err.Message, http.StatusInternalServerError)
			return
		}
		io.WriteString(w, reply.Text)
	})
	mux.HandleFunc("POST /test/async", func(w http.ResponseWriter, r *http.Request) {
		done := a.bot.Hold()
		id := r.URL.Query().Get("id")
		go func() {
			defer done()
			reply := a.bot.Handle(context.Background(), req(id))
			a.bot.Deliver(context.Background(), bot.Notice{To: bot.Recipient{Platform: bot.Console, User: "tester"}, Reply: reply})
		}()
		w.WriteHeader(http.StatusAccepted)
	})
	mux.HandleFunc("GET /test/waiting", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, waiting.Load())
	})
	return nil, nil
}

type stdoutSender struct{ mu sync.Mutex }

func (s *stdoutSender) Send(ctx context.Context, n bot.Notice) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := fmt.Fprintf(os.Stdout, "sent %s\n", n.Reply.Text)
	return err
}

// TestSIGTERMLosesNothing starts the real binary path (run "serve") in a
// child process, puts commands in flight both ways, sends SIGTERM, checks
// that new connections are refused while the old ones wait, then lets the
// commands finish: every one must be answered or delivered and the
// process must exit 0.
func TestSIGTERMLosesNothing(t *testing.T) {
	clearEnv(t)
	cfg := writeConfig(t, "server: {addr: \"127.0.0.1:0\", shutdown_timeout: 2m}\nlog: {format: json}\n")
	cmd := exec.Command(os.Args[0], "serve", "--config", cfg)
	cmd.Env = append(os.Environ(), "PLEDGEBOT_TEST_MAIN=1", childEnv+"=serve")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stdout syncBuffer
	cmd.Stdout = &stdout
	stderrPipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })

	// Follow the child's JSON log.
	var stderr syncBuffer
	logs := make(chan map[string]any, 100)
	go func() {
		sc := bufio.NewScanner(stderrPipe)
		for sc.Scan() {
			stderr.Write(append(sc.Bytes(), '\n'))
			var rec map[string]any
			if json.Unmarshal(sc.Bytes(), &rec) == nil {
				logs <- rec
			}
		}
		close(logs)
	}()
	waitLog := func(msg string) map[string]any {
		for rec := range logs {
			if rec["msg"] == msg {
				return rec
			}
		}
		t.Fatalf("child exited before logging %q:\n%s", msg, stderr.String())
		return nil
	}
	base := "http://" + waitLog("serving")["addr"].(string)

	const syncN, asyncN = 5, 3
	type result struct {
		id, body string
		code     int
		err      error
	}
	results := make(chan result, syncN)
	for i := range syncN {
		id := fmt.Sprintf("s%d", i)
		go func() {
			resp, err := http.Post(base+"/test/slow?id="+id, "text/plain", nil)
			if err != nil {
				results <- result{id: id, err: err}
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			results <- result{id: id, body: string(b), code: resp.StatusCode}
		}()
	}
	for i := range asyncN {
		resp, err := http.Post(fmt.Sprintf("%s/test/async?id=a%d", base, i), "text/plain", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("async ack: %d", resp.StatusCode)
		}
	}
	waitFor(t, "every command to be in flight", func() bool {
		_, body := get(t, base+"/test/waiting")
		return body == fmt.Sprint(syncN+asyncN)
	})

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if rec := waitLog("shutting down"); rec["in_flight"] != float64(syncN+asyncN*2) {
		// Each async command counts twice: its hold and its Handle.
		t.Errorf("in_flight at shutdown = %v, want %d", rec["in_flight"], syncN+asyncN*2)
	}
	// Stop accepting: new connections are refused while old ones wait.
	noKeepAlive := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	waitFor(t, "the listener to close", func() bool {
		resp, err := noKeepAlive.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err != nil
	})
	select {
	case r := <-results:
		t.Fatalf("request %s finished before its command was released: %+v", r.id, r)
	default:
	}

	// Release the commands answered in their request: they all get their
	// answer. Then the process must keep waiting for the background ones.
	io.WriteString(stdin, "sync\n")
	for range syncN {
		r := <-results
		if r.err != nil || r.code != 200 || r.body != "done "+r.id {
			t.Errorf("in-flight request %s lost: %+v", r.id, r)
		}
	}
	if rec := waitLog("waiting for background work"); rec["in_flight"] != float64(asyncN*2) {
		t.Errorf("waiting for %v background items, want %d", rec["in_flight"], asyncN*2)
	}
	stdin.Close() // release the background commands
	err = cmd.Wait()
	if err != nil {
		t.Fatalf("child exit: %v\n%s", err, stderr.String())
	}
	for i := range asyncN {
		if want := fmt.Sprintf("sent done a%d\n", i); !strings.Contains(stdout.String(), want) {
			t.Errorf("background reply a%d was not delivered; stdout:\n%s", i, stdout.String())
		}
	}
	if !strings.Contains(stderr.String(), `"msg":"stopped cleanly"`) {
		t.Errorf("no clean stop logged:\n%s", stderr.String())
	}
}

// TestShutdownTimeout: work still in flight when server.shutdown_timeout
// runs out is reported, and serve returns an error (exit non-zero).
func TestShutdownTimeout(t *testing.T) {
	clearEnv(t)
	var logs syncBuffer
	a := openTestApp(t, "server: {addr: \"127.0.0.1:0\", shutdown_timeout: 1ms}\n", &logs)
	_, stop := serveApp(t, a)
	done := a.bot.Hold()
	defer done()
	err := stop()
	if err == nil || !strings.Contains(err.Error(), "server.shutdown_timeout") || !strings.Contains(err.Error(), "1 commands or sends") {
		t.Fatalf("serve with work stuck in flight: %v", err)
	}
}

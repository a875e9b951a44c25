package report_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"
)

// browser drives headless Chromium over the DevTools protocol on a pipe
// (--remote-debugging-pipe: commands on fd 3, answers and events on fd 4,
// each a JSON message ending in a NUL byte), so the test needs no
// WebSocket client and opens no port. Scripts run through
// Runtime.evaluate, which the page's Content-Security-Policy (no scripts
// at all) does not govern, so the page is tested exactly as served.
type browser struct {
	t       *testing.T
	cmd     *exec.Cmd
	w       io.WriteCloser
	mu      sync.Mutex
	next    int
	pending map[int]chan cdpReply
	events  chan cdpReply
	session string
}

type cdpReply struct {
	ID     int             `json:"id"`
	Method string          `json:"method"`
	Result json.RawMessage `json:"result"`
	Params json.RawMessage `json:"params"`
	Error  *struct {
		Message string `json:"message"`
	} `json:"error"`
	Session string `json:"sessionId"`
}

// startBrowser starts Chromium with one page attached, every background
// network feature off.
func startBrowser(t *testing.T, ctx context.Context, bin string) *browser {
	t.Helper()
	toChrome, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r, fromChrome, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--disable-dev-shm-usage", "--hide-scrollbars", "--font-render-hinting=none",
		"--user-data-dir="+t.TempDir(), "--remote-debugging-pipe", "about:blank")
	cmd.ExtraFiles = []*os.File{toChrome, fromChrome} // fd 3 and fd 4
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	toChrome.Close()
	fromChrome.Close()
	b := &browser{t: t, cmd: cmd, w: w, pending: map[int]chan cdpReply{}, events: make(chan cdpReply, 256)}
	t.Cleanup(func() {
		w.Close()
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		if t.Failed() && stderr.Len() > 0 {
			t.Logf("chromium stderr (last 4 KiB):\n%s", stderr.Bytes()[max(0, stderr.Len()-4096):])
		}
	})
	go func() {
		br := bufio.NewReader(r)
		for {
			msg, err := br.ReadBytes(0)
			if err != nil {
				r.Close()
				return
			}
			var rep cdpReply
			if json.Unmarshal(msg[:len(msg)-1], &rep) != nil {
				continue
			}
			if rep.ID == 0 {
				select {
				case b.events <- rep:
				default: // nobody waits for this one
				}
				continue
			}
			b.mu.Lock()
			ch := b.pending[rep.ID]
			delete(b.pending, rep.ID)
			b.mu.Unlock()
			if ch != nil {
				ch <- rep
			}
		}
	}()
	var target struct{ TargetID string }
	b.call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &target)
	var attached struct{ SessionID string }
	b.call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &attached)
	b.session = attached.SessionID
	b.do(ctx, "Page.enable", nil, nil)
	return b
}

// call sends one command and decodes its result into out (if not nil).
func (b *browser) call(ctx context.Context, session, method string, params any, out any) {
	b.t.Helper()
	b.mu.Lock()
	b.next++
	id := b.next
	ch := make(chan cdpReply, 1)
	b.pending[id] = ch
	b.mu.Unlock()
	msg := map[string]any{"id": id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if session != "" {
		msg["sessionId"] = session
	}
	data, _ := json.Marshal(msg)
	if _, err := b.w.Write(append(data, 0)); err != nil {
		b.t.Fatalf("%s: %v", method, err)
	}
	select {
	case rep := <-ch:
		if rep.Error != nil {
			b.t.Fatalf("%s: %s", method, rep.Error.Message)
		}
		if out != nil {
			if err := json.Unmarshal(rep.Result, out); err != nil {
				b.t.Fatalf("%s: %v in %s", method, err, rep.Result)
			}
		}
	case <-ctx.Done():
		b.t.Fatalf("%s: %v", method, ctx.Err())
	}
}

// do sends a command to the page.
func (b *browser) do(ctx context.Context, method string, params any, out any) {
	b.t.Helper()
	b.call(ctx, b.session, method, params, out)
}

// viewport emulates a device width in CSS pixels; mobile makes the page's
// viewport meta tag count, as on a phone.
func (b *browser) viewport(ctx context.Context, width, height int, mobile bool) {
	b.t.Helper()
	b.do(ctx, "Emulation.setDeviceMetricsOverride", map[string]any{
		"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}, nil)
}

// navigate loads a URL and waits for its load event.
func (b *browser) navigate(ctx context.Context, url string) {
	b.t.Helper()
	for len(b.events) > 0 {
		<-b.events
	}
	b.do(ctx, "Page.navigate", map[string]any{"url": url}, nil)
	for {
		select {
		case ev := <-b.events:
			if ev.Method == "Page.loadEventFired" {
				return
			}
		case <-ctx.Done():
			b.t.Fatalf("loading %s: %v", url, ctx.Err())
		}
	}
}

// eval runs a script in the page, awaiting a promise, and decodes its
// JSON-serialisable value into out.
func (b *browser) eval(ctx context.Context, script string, out any) {
	b.t.Helper()
	var res struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		Exception *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	b.do(ctx, "Runtime.evaluate", map[string]any{"expression": script, "awaitPromise": true, "returnByValue": true}, &res)
	if res.Exception != nil {
		b.t.Fatalf("script failed: %s %s", res.Exception.Text, res.Exception.Exception.Description)
	}
	if out != nil {
		if err := json.Unmarshal(res.Result.Value, out); err != nil {
			b.t.Fatalf("script result: %v in %s", err, res.Result.Value)
		}
	}
}

// screenshot captures the part of the page from top, height CSS pixels
// tall (0: the whole page), as PNG.
func (b *browser) screenshot(ctx context.Context, top, height int) []byte {
	b.t.Helper()
	params := map[string]any{"format": "png", "captureBeyondViewport": true}
	if height > 0 {
		var width float64
		b.eval(ctx, "document.documentElement.clientWidth", &width)
		params["clip"] = map[string]any{"x": 0, "y": top, "width": width, "height": height, "scale": 1}
	}
	var shot struct{ Data []byte }
	b.do(ctx, "Page.captureScreenshot", params, &shot)
	return shot.Data
}

// pdf prints the page as a PDF on A4, as a person printing it would.
func (b *browser) pdf(ctx context.Context) []byte {
	b.t.Helper()
	var out struct{ Data []byte }
	b.do(ctx, "Page.printToPDF", map[string]any{"paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": true}, &out)
	return out.Data
}

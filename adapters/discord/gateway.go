package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
	"github.com/pledgebot/pledgebot/adapters/arrival"
	"github.com/pledgebot/pledgebot/supervise"
)

// The gateway speaks Discord's protocol itself rather than through
// discordgo's Session.Open, which cannot be told to wait after op 9 (it
// re-identifies at once), notices a dead connection only after five missed
// heartbeat ACKs, and retries on its own without jitter. discordgo still
// decodes the interactions and does every REST call.

// gatewayVersion is the gateway API version asked for.
const gatewayVersion = "10"

// helloTimeout bounds the wait for HELLO after connecting.
const helloTimeout = 30 * time.Second

// InvalidSessionWait is how long the gateway waits after op 9 before it
// identifies again: Discord asks for a random time between 1 and 5 s.
// Tests replace it.
var InvalidSessionWait = func() time.Duration {
	return time.Second + rand.N(4*time.Second+1)
}

// frame is one gateway payload.
type frame struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d,omitempty"`
	S  int64           `json:"s,omitempty"`
	T  string          `json:"t,omitempty"`

	at time.Time // when it was read: an interaction's budget starts there
}

// session is what a later connection needs to RESUME.
type session struct {
	mu        sync.Mutex
	id        string
	resumeURL string
	seq       int64
}

func (s *session) get() (id, resumeURL string, seq int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.id, s.resumeURL, s.seq
}

func (s *session) set(id, resumeURL string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.id, s.resumeURL = id, resumeURL
}

func (s *session) forget() { s.set("", "") }

func (s *session) at(seq int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq = seq
}

// RunGateway is one connection to Discord's gateway, as a supervise.Run:
// interactions arriving as INTERACTION_CREATE are answered through the same
// code path as HTTP interactions; r hears when the connection carries
// traffic and when it does not; it returns when the connection ends (the
// supervisor retries, with jitter, and the next connection resumes the
// session), with a supervise.Permanent error when Discord refused the bot
// for good (4004 bad token, 4010-4014), or nil when ctx ends.
func (a *Adapter) RunGateway(ctx context.Context, r supervise.Reporter) error {
	id, resumeURL, _ := a.gw.get()
	url := resumeURL
	if id == "" || url == "" {
		u, err := a.session.Gateway(discordgo.WithContext(ctx))
		if err != nil {
			return a.gatewayErr(err)
		}
		url = u
	}
	if !strings.HasSuffix(url, "/") {
		url += "/"
	}
	dialer := a.session.Dialer
	if dialer == nil {
		dialer = websocket.DefaultDialer
	}
	conn, _, err := dialer.DialContext(ctx, url+"?v="+gatewayVersion+"&encoding=json", nil)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	defer conn.Close()
	// Reads block; closing the connection is what ends them at shutdown.
	defer context.AfterFunc(ctx, func() { conn.Close() })()
	c := &gatewayConn{a: a, conn: conn, r: r}
	err = c.run(ctx)
	if ctx.Err() != nil {
		return nil
	}
	return a.gatewayErr(err)
}

// gatewayConn is one open gateway connection.
type gatewayConn struct {
	a    *Adapter
	conn *websocket.Conn
	r    supervise.Reporter
	wmu  sync.Mutex

	interval time.Duration
	acked    bool // the last heartbeat was acknowledged
	missed   int  // heartbeats in a row without an ACK
}

func (c *gatewayConn) send(op int, d any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.conn.WriteJSON(map[string]any{"op": op, "d": d})
}

// run says hello, identifies or resumes, then serves frames and
// heartbeats until the connection fails.
func (c *gatewayConn) run(ctx context.Context) error {
	c.conn.SetReadDeadline(time.Now().Add(helloTimeout))
	var hello frame
	if err := c.conn.ReadJSON(&hello); err != nil {
		return err
	}
	var h struct {
		Interval int64 `json:"heartbeat_interval"`
	}
	if hello.Op != 10 || json.Unmarshal(hello.D, &h) != nil || h.Interval <= 0 {
		return fmt.Errorf("gateway said op %d instead of HELLO", hello.Op)
	}
	c.conn.SetReadDeadline(time.Time{})
	c.interval = time.Duration(h.Interval) * time.Millisecond
	if err := c.login(); err != nil {
		return err
	}
	frames := make(chan frame)
	readErr := make(chan error, 1)
	// done stops the reader when run returns before the connection fails
	// (op 7, a zombie), once the connection is closed under it.
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			var f frame
			if err := c.conn.ReadJSON(&f); err != nil {
				readErr <- err
				return
			}
			f.at = time.Now() // the loop may be busy (a heartbeat, op 9's wait)
			select {
			case frames <- f:
			case <-done:
				return
			}
		}
	}()
	// The first heartbeat waits interval × jitter, as Discord asks, so
	// that many clients reconnecting at once do not beat in step.
	beat := time.NewTimer(time.Duration(rand.Float64() * float64(c.interval)))
	defer beat.Stop()
	c.acked = true
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-readErr:
			return err
		case <-beat.C:
			if err := c.heartbeat(); err != nil {
				return err
			}
			beat.Reset(c.interval)
		case f := <-frames:
			if err := c.handle(ctx, f); err != nil {
				return err
			}
		}
	}
}

// login sends IDENTIFY for a new session or RESUME for a known one. The
// bot asks for no intents: interactions reach it whatever its intents, and
// it reads no other event.
func (c *gatewayConn) login() error {
	id, _, seq := c.a.gw.get()
	if id != "" {
		return c.send(6, map[string]any{"token": c.a.session.Token, "session_id": id, "seq": seq})
	}
	return c.send(2, map[string]any{"token": c.a.session.Token, "intents": 0,
		"properties": map[string]string{"os": "linux", "browser": "pledgebot", "device": "pledgebot"}})
}

// heartbeat sends one heartbeat. A connection that let one go without an
// ACK is not ready; one that let two go is a zombie, closed so that the
// supervisor resumes on a fresh one.
func (c *gatewayConn) heartbeat() error {
	if !c.acked {
		c.missed++
		err := fmt.Errorf("no heartbeat ACK from the Discord gateway for %d interval(s) of %s", c.missed, c.interval)
		if c.missed >= 2 {
			c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(4000, "zombie"), time.Now().Add(time.Second))
			return supervise.Because(supervise.ReasonZombie, err)
		}
		c.r.Stalled(err)
	}
	c.acked = false
	return c.beat()
}

// beat sends a heartbeat with the last sequence number seen (null before
// the first).
func (c *gatewayConn) beat() error {
	_, _, seq := c.a.gw.get()
	if seq == 0 {
		return c.send(1, nil)
	}
	return c.send(1, seq)
}

// handle acts on one frame from the gateway.
func (c *gatewayConn) handle(ctx context.Context, f frame) error {
	switch f.Op {
	case 0:
		return c.dispatch(ctx, f)
	case 1: // Discord asks for a heartbeat now
		return c.beat()
	case 7:
		return supervise.Because(supervise.ReasonServerRequest, errors.New("Discord asked the bot to reconnect (op 7)"))
	case 9:
		return c.invalidSession(ctx, f)
	case 11:
		c.acked = true
		if c.missed > 0 {
			c.missed = 0
			c.r.Up()
		}
	}
	return nil
}

func (c *gatewayConn) dispatch(ctx context.Context, f frame) error {
	if f.S > 0 {
		c.a.gw.at(f.S)
	}
	switch f.T {
	case "READY":
		var ready struct {
			SessionID string `json:"session_id"`
			ResumeURL string `json:"resume_gateway_url"`
		}
		json.Unmarshal(f.D, &ready)
		c.a.gw.set(ready.SessionID, ready.ResumeURL)
		c.a.log.Info("discord: gateway session started", "session", ready.SessionID)
		c.r.Up()
	case "RESUMED":
		c.r.Up()
	case "INTERACTION_CREATE":
		var ic discordgo.InteractionCreate
		if err := json.Unmarshal(f.D, &ic); err != nil {
			c.a.log.Warn("discord: unreadable interaction from the gateway", "err", err)
			return nil
		}
		go c.a.onInteraction(arrival.With(ctx, f.at))(c.a.session, &ic)
	}
	return nil
}

// invalidSession answers op 9: wait 1-5 s as Discord asks, then resume
// when d says the session may be resumed, else identify afresh; the
// gateway is not ready meanwhile.
func (c *gatewayConn) invalidSession(ctx context.Context, f frame) error {
	var resumable bool
	json.Unmarshal(f.D, &resumable)
	if !resumable {
		c.a.gw.forget()
	}
	wait := InvalidSessionWait()
	c.r.Down(supervise.ReasonInvalidSession, fmt.Errorf("Discord invalidated the session (op 9, resumable %v); logging in again in %s", resumable, wait.Round(time.Millisecond)))
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return nil
	case <-t.C:
	}
	return c.login()
}

// gatewayErr marks errors retrying cannot fix as permanent, and forgets
// the session when Discord will not resume it (4007 bad sequence, 4009
// session timed out).
func (a *Adapter) gatewayErr(err error) error {
	if why := fatalGateway(err); why != "" {
		return supervise.Permanent(why, err)
	}
	var ce *websocket.CloseError
	if errors.As(err, &ce) && (ce.Code == 4007 || ce.Code == 4009) {
		a.gw.forget()
	}
	return err
}

// fatalGateway says, in plain words, why err cannot be fixed by retrying,
// or returns "" when a retry may work.
func fatalGateway(err error) string {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		switch ce.Code {
		case 4004:
			return "authentication failed (close code 4004): Discord refused DISCORD_BOT_TOKEN; fix the token and restart"
		case 4010:
			return "invalid shard (close code 4010)"
		case 4011:
			return "sharding required (close code 4011): the bot is in too many servers for one connection"
		case 4012:
			return "invalid API version (close code 4012)"
		case 4013:
			return "invalid intents (close code 4013)"
		case 4014:
			return "disallowed intents (close code 4014): enable them in the Developer Portal or ask for fewer"
		}
	}
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == 401 {
		return "authentication failed (HTTP 401): Discord refused DISCORD_BOT_TOKEN; fix the token and restart"
	}
	return ""
}

package discord

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Backoff bounds the delays between gateway connection attempts: the n-th
// retry in a row waits a random time in [d/2, d] with d = Min·2ⁿ capped at
// Max, so many bots restarted together do not retry in step.
type Backoff struct{ Min, Max time.Duration }

// DefaultGatewayBackoff is the gateway's reconnection backoff.
var DefaultGatewayBackoff = Backoff{Min: time.Second, Max: 2 * time.Minute}

// delay is the wait before retry number n (0 for the first).
func (b Backoff) delay(n int) time.Duration {
	d := b.Min
	for i := 0; i < n && d < b.Max; i++ {
		d *= 2
	}
	d = min(d, b.Max)
	return d/2 + rand.N(d/2+1)
}

// Gateway connects to Discord's gateway and answers interactions arriving
// as InteractionCreate through the same code path as HTTP interactions,
// until ctx ends.
//
// It never gives up on a failure that retrying can fix: the first
// connection and every later one are retried with Options.GatewayBackoff
// while the rest of the process serves, and each state is reported to
// Options.GatewayState (nil once connected, else what is wrong). A close
// code that retrying cannot fix (4004 bad token, 4010-4014) stops the
// retries; the gateway then stays down, says why, and waits for ctx, so
// other adapters keep running. Gateway returns only when ctx ends.
//
// This loop replaces discordgo's own reconnection (ShouldReconnectOnError),
// which retries without jitter for up to 10 minutes apart, cannot be
// stopped by ctx, and does not say why it failed.
func (a *Adapter) Gateway(ctx context.Context) error {
	s := a.session
	remove := s.AddHandler(a.onInteraction(ctx))
	defer remove()
	// discordgo runs handlers in goroutines, so a Disconnect can arrive
	// late; a stale one only makes Open say the socket is already open.
	dropped := make(chan struct{}, 1)
	removeDrop := s.AddHandler(func(*discordgo.Session, *discordgo.Disconnect) {
		select {
		case dropped <- struct{}{}:
		default:
		}
	})
	defer removeDrop()
	s.ShouldReconnectOnError = false
	s.Dialer = closingDialer(ctx, s.Dialer)

	state := "connecting"
	var retries int
	var up time.Time
	for ctx.Err() == nil {
		// Drain Disconnects of earlier connections: a drop of the one
		// opened now can only come after Open.
		select {
		case <-dropped:
		default:
		}
		err := s.Open()
		if ctx.Err() != nil {
			break
		}
		switch {
		case err == nil || errors.Is(err, discordgo.ErrWSAlreadyOpen):
			if err == nil {
				a.log.Info("discord: gateway connected", "after_failures", retries)
				a.report(nil)
				up = time.Now()
			}
			select {
			case <-ctx.Done():
			case <-dropped:
				// A connection that stayed up a while starts the backoff
				// afresh; one dropped at once keeps backing off.
				if time.Since(up) >= a.backoff.Max {
					retries = 0
				}
				state = "reconnecting"
				a.report(errors.New("reconnecting: connection to the Discord gateway lost"))
				a.log.Warn("discord: gateway connection lost; reconnecting")
				a.wait(ctx, a.backoff.delay(retries))
				retries++
			}
		case fatalGateway(err) != "":
			why := fatalGateway(err)
			a.report(errors.New("stopped: " + why))
			a.log.Error("discord: gateway stopped; not retrying (HTTP interactions and other adapters keep running)", "reason", why, "error", err)
			<-ctx.Done() // and the loop ends
		default:
			d := a.backoff.delay(retries)
			retries++
			a.report(fmt.Errorf("%s: %v; retry %d in %s", state, err, retries, d.Round(time.Millisecond)))
			a.log.Warn("discord: gateway connection failed; retrying", "error", err, "retry", retries, "in", d)
			a.wait(ctx, d)
		}
	}
	err := s.Close()
	a.Wait()
	return err
}

// report passes the gateway's state to Options.GatewayState.
func (a *Adapter) report(err error) {
	if a.gatewayState != nil {
		a.gatewayState(err)
	}
}

// wait sleeps for d or until ctx ends.
func (a *Adapter) wait(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
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

// closingDialer is d (or gorilla's default) with dials that stop and
// connections that close when ctx ends, so a shutdown does not wait on a
// gateway that hangs while connecting or accepted but says nothing.
func closingDialer(ctx context.Context, d *websocket.Dialer) *websocket.Dialer {
	if d == nil {
		d = websocket.DefaultDialer
	}
	c := *d
	dial := c.NetDialContext
	if dial == nil {
		dial = (&net.Dialer{Timeout: 30 * time.Second}).DialContext
	}
	c.NetDialContext = func(dctx context.Context, network, addr string) (net.Conn, error) {
		// A dial still in progress gives up at shutdown too.
		dctx, cancel := context.WithCancel(dctx)
		defer context.AfterFunc(ctx, cancel)()
		conn, err := dial(dctx, network, addr)
		cancel()
		if err != nil {
			return nil, err
		}
		stop := context.AfterFunc(ctx, func() { conn.Close() })
		return &stopConn{Conn: conn, stop: stop}, nil
	}
	return &c
}

// stopConn unregisters its close-on-shutdown hook when closed.
type stopConn struct {
	net.Conn
	stop func() bool
}

func (c *stopConn) Close() error {
	c.stop()
	return c.Conn.Close()
}

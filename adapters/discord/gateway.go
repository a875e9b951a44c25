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
// It never gives up: the first connection and every later one are retried
// with Options.GatewayBackoff while the rest of the process serves, and
// each state is reported to Options.GatewayState (nil once connected, else
// what is wrong). Gateway returns only when ctx ends.
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

// closingDialer is d (or gorilla's default) with connections that close
// when ctx ends, so a shutdown does not wait on a gateway that accepted
// the connection but says nothing.
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
		conn, err := dial(dctx, network, addr)
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

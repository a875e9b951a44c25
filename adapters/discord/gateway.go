package discord

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
	"github.com/pledgebot/pledgebot/supervise"
)

// RunGateway is one connection to Discord's gateway, as a supervise.Run:
// interactions arriving as InteractionCreate are answered through the same
// code path as HTTP interactions; r hears when the connection is up; it
// returns when the connection ends (the supervisor retries, with jitter),
// with a supervise.Permanent error when Discord refused the bot for good
// (4004 bad token, 4010-4014), or nil when ctx ends.
//
// The supervisor replaces discordgo's own reconnection
// (ShouldReconnectOnError), which retries without jitter for up to 10
// minutes apart, cannot be stopped by ctx, and does not say why it failed.
func (a *Adapter) RunGateway(ctx context.Context, r supervise.Reporter) error {
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
	a.dialOnce.Do(func() { a.dialer = s.Dialer })
	s.Dialer = closingDialer(ctx, a.dialer)
	defer s.Close()
	err := s.Open()
	switch {
	case ctx.Err() != nil:
		return nil
	case err != nil && !errors.Is(err, discordgo.ErrWSAlreadyOpen):
		if why := fatalGateway(err); why != "" {
			return supervise.Permanent(why, err)
		}
		return err
	}
	r.Up()
	select {
	case <-ctx.Done():
		return nil
	case <-dropped:
		return errors.New("connection to the Discord gateway lost")
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

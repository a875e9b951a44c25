package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/redis/go-redis/v9"
)

// Options say which Redis to use: one server (URL), a cluster (ClusterURL)
// or a Sentinel-managed primary (Sentinel). None of them runs the embedded
// in-process store.
type Options struct {
	URL        string
	ClusterURL string
	Sentinel   *Sentinel
	Prefix     string
}

// Sentinel names a primary watched by Redis Sentinel.
type Sentinel struct {
	MasterName string
	Addrs      []string
	Password   string
	DB         int
}

// Opened is a store plus what closing it needs.
type Opened struct {
	*Store
	Embedded bool
	mini     *miniredis.Miniredis
	stop     chan struct{} // ends the embedded server's clock (expire)
}

// Short timeouts make a lost Redis a quick, clear refusal instead of a hang.
const (
	dialTimeout = 2 * time.Second
	ioTimeout   = 2 * time.Second
	poolTimeout = 3 * time.Second
)

// Open connects to Redis, or starts the embedded store when nothing is
// configured. A Redis that does not answer yet is not an error: commands
// are refused as unavailable until it does, and the client reconnects by
// itself.
func Open(ctx context.Context, o Options) (*Opened, error) {
	out := &Opened{}
	rdb, err := client(o, out)
	if err != nil {
		return nil, err
	}
	out.Store = New(rdb, o.Prefix)
	if err := out.LoadScripts(ctx); err != nil && !errors.Is(err, bot.ErrUnavailable) {
		out.Close()
		return nil, err
	}
	return out, nil
}

// client connects with CLIENT SETINFO turned off (DisableIdentity): Redis
// before 7.2 answers it with an error on every new connection, which would
// count in errorstats and fire the Redis-errors alert of docs/operations.md. Every kind
// of client honours its callers' context deadlines (ContextTimeoutEnabled):
// an adapter that owes Slack or Discord an answer within 3 s gives its Redis
// calls less than that, and a stalled Redis must not hold the answer up
// for the whole read timeout.
func client(o Options, out *Opened) (redis.UniversalClient, error) {
	switch {
	case o.ClusterURL != "":
		opts, err := redis.ParseClusterURL(o.ClusterURL)
		if err != nil {
			return nil, fmt.Errorf("redis cluster url: %w", err)
		}
		opts.DialTimeout, opts.ReadTimeout, opts.WriteTimeout, opts.PoolTimeout = dialTimeout, ioTimeout, ioTimeout, poolTimeout
		opts.DisableIdentity, opts.ContextTimeoutEnabled = true, true
		return redis.NewClusterClient(opts), nil
	case o.Sentinel != nil:
		return redis.NewFailoverClient(&redis.FailoverOptions{MasterName: o.Sentinel.MasterName,
			SentinelAddrs: o.Sentinel.Addrs, Password: o.Sentinel.Password, DB: o.Sentinel.DB,
			DialTimeout: dialTimeout, ReadTimeout: ioTimeout, WriteTimeout: ioTimeout, PoolTimeout: poolTimeout,
			DisableIdentity: true, ContextTimeoutEnabled: true}), nil
	}
	url := o.URL
	if url == "" {
		mini, err := miniredis.Run()
		if err != nil {
			return nil, fmt.Errorf("embedded store: %w", err)
		}
		out.Embedded, out.mini, out.stop = true, mini, make(chan struct{})
		go expire(mini, out.stop)
		url = "redis://" + mini.Addr()
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("redis url: %w", err)
	}
	opts.DialTimeout, opts.ReadTimeout, opts.WriteTimeout, opts.PoolTimeout = dialTimeout, ioTimeout, ioTimeout, poolTimeout
	opts.DisableIdentity, opts.ContextTimeoutEnabled = true, true
	return redis.NewClient(opts), nil
}

// expireEvery is how finely the embedded store's TTLs follow the clock.
const expireEvery = 100 * time.Millisecond

// expire moves the embedded server's TTLs on with the clock until stop is
// closed. miniredis expires nothing by itself (its TTLs count down only
// when FastForward is called), so without this no key the store gives a
// lifetime (Slack OAuth states, request records, nudge decisions, job run
// keys) would ever go. Each tick walks every key under miniredis's lock,
// which the small data of the embedded store makes cheap.
func expire(mini *miniredis.Miniredis, stop <-chan struct{}) {
	tick := time.NewTicker(expireEvery)
	defer tick.Stop()
	last := time.Now()
	for {
		select {
		case <-stop:
			return
		case now := <-tick.C:
			mini.FastForward(now.Sub(last))
			last = now
		}
	}
}

// EmbeddedAddr is where the embedded server listens, "" on a real Redis:
// tests connect clients of their own to it.
func (o *Opened) EmbeddedAddr() string {
	if o.mini == nil {
		return ""
	}
	return o.mini.Addr()
}

// Close closes the client and stops the embedded server.
func (o *Opened) Close() error {
	err := o.Store.Close()
	if o.mini != nil {
		close(o.stop)
		o.mini.Close()
	}
	return err
}

package store

import (
	"context"
	"fmt"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// Options say which Redis to use.
type Options struct {
	URL    string // redis://... ; empty runs the embedded in-process store
	Prefix string
}

// Opened is a store plus what closing it needs.
type Opened struct {
	*Store
	Embedded bool
	mini     *miniredis.Miniredis
}

// Open connects to Redis, or starts the embedded store when no URL is given.
// Short timeouts make a lost Redis a quick, clear refusal instead of a hang.
func Open(ctx context.Context, o Options) (*Opened, error) {
	var mini *miniredis.Miniredis
	url := o.URL
	if url == "" {
		var err error
		if mini, err = miniredis.Run(); err != nil {
			return nil, fmt.Errorf("embedded store: %w", err)
		}
		url = "redis://" + mini.Addr()
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("redis url: %w", err)
	}
	opts.DialTimeout = 2 * time.Second
	opts.ReadTimeout = 2 * time.Second
	opts.WriteTimeout = 2 * time.Second
	opts.PoolTimeout = 3 * time.Second
	s := New(redis.NewClient(opts), o.Prefix)
	if err := s.LoadScripts(ctx); err != nil {
		s.Close()
		if mini != nil {
			mini.Close()
		}
		return nil, fmt.Errorf("redis at %s: %w", opts.Addr, err)
	}
	return &Opened{Store: s, Embedded: mini != nil, mini: mini}, nil
}

// Close closes the client and stops the embedded server.
func (o *Opened) Close() error {
	err := o.Store.Close()
	if o.mini != nil {
		o.mini.Close()
	}
	return err
}

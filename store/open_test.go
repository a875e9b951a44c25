package store

import (
	"testing"

	"github.com/redis/go-redis/v9"
)

// Every client kind the store builds sends no CLIENT SETINFO (Redis
// before 7.2 refuses it, so every connection would add to its error
// count) and bounds a call by its context's deadline (an adapter that must
// answer a platform within 3 s can give Redis less).
func TestClientOptions(t *testing.T) {
	for _, o := range []Options{
		{URL: "redis://127.0.0.1:6379/0"},
		{ClusterURL: "redis://127.0.0.1:7000"},
		{Sentinel: &Sentinel{MasterName: "mymaster", Addrs: []string{"127.0.0.1:26379"}}},
	} {
		rdb, err := client(o, &Opened{})
		if err != nil {
			t.Fatal(err)
		}
		var noSetinfo, deadlines bool
		switch c := rdb.(type) {
		case *redis.Client:
			noSetinfo, deadlines = c.Options().DisableIdentity, c.Options().ContextTimeoutEnabled
		case *redis.ClusterClient:
			noSetinfo, deadlines = c.Options().DisableIdentity, c.Options().ContextTimeoutEnabled
		}
		if !noSetinfo {
			t.Errorf("%+v: the client would send CLIENT SETINFO", o)
		}
		if !deadlines {
			t.Errorf("%+v: the client ignores context deadlines", o)
		}
		rdb.Close()
	}
}

package store

import (
	"testing"

	"github.com/redis/go-redis/v9"
)

// Redis before 7.2 refuses CLIENT SETINFO, so every connection would add
// to its error count: the store never sends it.
func TestClientsSendNoSetinfo(t *testing.T) {
	for _, o := range []Options{
		{URL: "redis://127.0.0.1:6379/0"},
		{ClusterURL: "redis://127.0.0.1:7000"},
		{Sentinel: &Sentinel{MasterName: "mymaster", Addrs: []string{"127.0.0.1:26379"}}},
	} {
		rdb, err := client(o, &Opened{})
		if err != nil {
			t.Fatal(err)
		}
		var off bool
		switch c := rdb.(type) {
		case *redis.Client:
			off = c.Options().DisableIdentity
		case *redis.ClusterClient:
			off = c.Options().DisableIdentity
		}
		if !off {
			t.Errorf("%+v: the client would send CLIENT SETINFO", o)
		}
		rdb.Close()
	}
}

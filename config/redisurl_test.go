package config

import (
	"testing"

	"github.com/redis/go-redis/v9"
)

// redisURLCases are URLs an operator might write, good and bad: each rule
// of checkRedisURL is met at least once.
var redisURLCases = []struct{ url, want string }{
	{"redis://localhost:6379/0", ""},
	{"rediss://:secret@redis.example:6380/2?dial_timeout=3s&pool_size=20", ""},
	{"unix:///run/redis.sock?db=1", ""},
	{"redis://localhost:6379/notadb", `redis: invalid database number: "notadb"`},
	{"redis://localhost/1/2", "redis: invalid URL path: /1/2"},
	{"unix://", "redis: empty unix socket path"},
	{"http://localhost", "redis: invalid URL scheme: http"},
	{"redis://localhost?db=x", `redis: invalid database number: strconv.Atoi: parsing "x": invalid syntax`},
	{"redis://localhost?pool_size=big", `redis: invalid pool_size number: strconv.Atoi: parsing "big": invalid syntax`},
	{"redis://localhost?read_timeout=soon", `redis: invalid read_timeout duration: time: invalid duration "soon"`},
	{"redis://localhost?pool_fifo=yes", `redis: invalid pool_fifo boolean: expected true/false/1/0 or an empty string, got "yes"`},
	{"redis://localhost?pool_size=1&pool_size=x", `redis: invalid pool_size number: strconv.Atoi: parsing "x": invalid syntax`},
	{"redis://localhost?pool_timeout=x&dial_timeout=y", `redis: invalid dial_timeout duration: time: invalid duration "y"`},
	{"redis://localhost?idle_timeout=1&conn_max_idle_time=2", "redis: unexpected option: idle_timeout"},
	{"redis://localhost?skip_verify=true", "redis: unexpected option: skip_verify"},
	{"rediss://localhost?skip_verify=true", ""},
	{"redis://localhost?zeta=1&alpha=2", "redis: unexpected option: alpha, zeta"},
	{"redis://localhost?conn_max_lifetime_jitter=5s&max_conn_age=1m", ""},
	{"redis://local host", `parse "redis://local host": invalid character " " in host name`},
}

// TestRedisURLAgreesWithGoRedis: checkRedisURL gives the words go-redis's
// ParseURL gives (which the store uses at start-up), for every case; the
// expected words are written out so a change in either shows here.
func TestRedisURLAgreesWithGoRedis(t *testing.T) {
	for _, c := range redisURLCases {
		got := ""
		if err := checkRedisURL(c.url); err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("checkRedisURL(%q) = %q, want %q", c.url, got, c.want)
		}
		lib := ""
		if _, err := redis.ParseURL(c.url); err != nil {
			lib = err.Error()
		}
		if lib != c.want {
			t.Errorf("redis.ParseURL(%q) = %q, want %q", c.url, lib, c.want)
		}
	}
}

// FuzzRedisURL: on any text checkRedisURL and go-redis agree, word for word.
func FuzzRedisURL(f *testing.F) {
	for _, c := range redisURLCases {
		f.Add(c.url)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, lib := "", ""
		if err := checkRedisURL(raw); err != nil {
			got = err.Error()
		}
		if _, err := redis.ParseURL(raw); err != nil {
			lib = err.Error()
		}
		if got != lib {
			t.Fatalf("checkRedisURL(%q) = %q, go-redis says %q", raw, got, lib)
		}
	})
}

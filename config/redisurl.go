package config

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// checkRedisURL applies the rules go-redis's ParseURL applies to a
// redis://, rediss:// or unix:// URL, with the same messages, so that
// check-config refuses what the store would refuse at start-up without
// config importing a Redis package. TestRedisURLAgreesWithGoRedis and
// FuzzRedisURL hold the two to the same answers.
func checkRedisURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	switch u.Scheme {
	case "redis", "rediss":
		f := strings.FieldsFunc(u.Path, func(r rune) bool { return r == '/' })
		switch len(f) {
		case 0:
		case 1:
			if _, err := strconv.Atoi(f[0]); err != nil {
				return fmt.Errorf("redis: invalid database number: %q", f[0])
			}
		default:
			return fmt.Errorf("redis: invalid URL path: %s", u.Path)
		}
	case "unix":
		if strings.TrimSpace(u.Path) == "" {
			return errors.New("redis: empty unix socket path")
		}
	default:
		return fmt.Errorf("redis: invalid URL scheme: %s", u.Scheme)
	}
	return checkRedisOptions(u.Query(), u.Scheme == "rediss")
}

// optionKind is how go-redis reads a URL query option.
type optionKind int

const (
	optString optionKind = iota
	optInt
	optDuration
	optBool
)

// redisOptions are the query options go-redis v9 reads, in the order it
// reads them: only the first bad value is reported, so order matters.
// The pairs (conn_max_idle_time or idle_timeout, conn_max_lifetime or
// max_conn_age) and the conditional ones are handled in checkRedisOptions.
var redisOptions = []struct {
	name string
	kind optionKind
}{
	{"protocol", optInt}, {"client_name", optString}, {"max_retries", optInt},
	{"min_retry_backoff", optDuration}, {"max_retry_backoff", optDuration},
	{"dial_timeout", optDuration}, {"read_timeout", optDuration}, {"write_timeout", optDuration},
	{"pool_fifo", optBool}, {"pool_size", optInt}, {"pool_timeout", optDuration},
	{"min_idle_conns", optInt}, {"max_idle_conns", optInt}, {"max_active_conns", optInt},
	{"max_concurrent_dials", optInt}, {"pipeline_pool_size", optInt},
	{"pipeline_read_buffer_size", optInt}, {"pipeline_write_buffer_size", optInt},
}

// checkRedisOptions checks a URL's query as go-redis's setupConnParams
// does: db first (refused at once), then each known option by its kind
// (the first bad value wins), then any option left over.
func checkRedisOptions(q url.Values, tls bool) error {
	// last is the value go-redis reads (the last one given), and takes the
	// option off q so that what remains is unknown.
	last := func(name string) string {
		vs := q[name]
		delete(q, name)
		if len(vs) == 0 {
			return ""
		}
		return vs[len(vs)-1]
	}
	if db := last("db"); db != "" {
		if _, err := strconv.Atoi(db); err != nil {
			return fmt.Errorf("redis: invalid database number: %w", err)
		}
	}
	var first error
	read := func(name string, kind optionKind) {
		s := last(name)
		if s == "" || first != nil {
			return
		}
		switch kind {
		case optInt:
			if _, err := strconv.Atoi(s); err != nil {
				first = fmt.Errorf("redis: invalid %s number: %s", name, err)
			}
		case optDuration:
			if _, err := strconv.Atoi(s); err == nil {
				return
			}
			if _, err := time.ParseDuration(s); err != nil {
				first = fmt.Errorf("redis: invalid %s duration: %w", name, err)
			}
		case optBool:
			switch s {
			case "true", "1", "false", "0":
			default:
				first = fmt.Errorf("redis: invalid %s boolean: expected true/false/1/0 or an empty string, got %q", name, s)
			}
		}
	}
	for _, o := range redisOptions {
		read(o.name, o.kind)
	}
	has := func(name string) bool { return len(q[name]) > 0 }
	if has("conn_max_idle_time") {
		read("conn_max_idle_time", optDuration)
	} else {
		read("idle_timeout", optDuration)
	}
	if has("conn_max_lifetime") {
		read("conn_max_lifetime", optDuration)
	} else {
		read("max_conn_age", optDuration)
	}
	if has("conn_max_lifetime_jitter") {
		read("conn_max_lifetime_jitter", optDuration)
	}
	if tls && has("skip_verify") {
		read("skip_verify", optBool)
	}
	if first != nil {
		return first
	}
	if len(q) > 0 {
		left := make([]string, 0, len(q))
		for k := range q {
			left = append(left, k)
		}
		slices.Sort(left)
		return fmt.Errorf("redis: unexpected option: %s", strings.Join(left, ", "))
	}
	return nil
}

package slack

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/redis/go-redis/v9"
)

// BenchmarkBareHandlerRedisRoundTrip is the bare handler plus the least a
// Redis-backed command can do: one EVALSHA of a one-line script. Its rate
// against BenchmarkBareHandler bounds what any signed command can reach on
// the same machine.
func BenchmarkBareHandlerRedisRoundTrip(b *testing.B) {
	rdb := pledgetest.Client(b)
	key := pledgetest.Prefix(b, rdb) + ":{bench}:n"
	incr := redis.NewScript(`return redis.call('INCR', KEYS[1])`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if err := incr.Run(r.Context(), rdb, []string{key}).Err(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"response_type":"ephemeral","text":"ok"}`)
	}))
	defer srv.Close()
	parallel(b, benchClient(), rdb, func(i int64) *http.Request {
		return signedCommand(srv.URL, "/pledge", `add "Hire local apprentice number `+strconv.FormatInt(i, 10)+`" theme:apprenticeships target:2`, "bare")
	}, "ok")
}

package metrics

import (
	"context"
	"errors"
	"net"
	"strings"

	"github.com/redis/go-redis/v9"
)

// RedisHook counts failed Redis commands in pledgebot_redis_errors_total.
// Add it with client.AddHook(metrics.RedisHook{}).
type RedisHook struct{}

var _ redis.Hook = RedisHook{}

func (RedisHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (RedisHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		err := next(ctx, cmd)
		if redisFailure(err) {
			RedisError(cmd.Name())
		}
		return err
	}
}

func (RedisHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		err := next(ctx, cmds)
		if err != nil {
			for _, c := range cmds {
				if redisFailure(c.Err()) {
					RedisError(c.Name())
				}
			}
		}
		return err
	}
}

// redisFailure tells real failures from answers that only look like
// errors: a missing key (redis.Nil), a script's own refusal ("PB code"),
// NOSCRIPT (go-redis falls back to EVAL by itself) and a caller that gave
// up (context canceled).
func redisFailure(err error) bool {
	if err == nil || errors.Is(err, redis.Nil) || errors.Is(err, context.Canceled) {
		return false
	}
	var nerr net.Error
	if errors.As(err, &nerr) {
		return true
	}
	msg := err.Error()
	return !strings.HasPrefix(msg, "PB ") && !strings.HasPrefix(msg, "NOSCRIPT")
}

package integration

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestEndToEndOnRedisCluster starts a three-primary Redis Cluster and runs
// the store, command and console suites against it, proving every
// multi-key script stays within one community's hash slot.
func TestEndToEndOnRedisCluster(t *testing.T) {
	if os.Getenv("REDIS_CLUSTER_URL") != "" {
		t.Skip("already running against a cluster")
	}
	if testing.Short() {
		t.Skip("starts a cluster and re-runs suites")
	}
	t.Parallel() // mostly waits on a child go test; overlaps the load test
	var addrs []string
	for i := 0; i < 3; i++ {
		s := StartRedis(t, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf")
		addrs = append(addrs, s.Addr())
	}
	create := exec.Command("redis-cli", append(append([]string{"--cluster", "create"}, addrs...), "--cluster-replicas", "0", "--cluster-yes")...)
	if out, err := create.CombinedOutput(); err != nil {
		t.Fatalf("cluster create: %v\n%s", err, out)
	}
	waitClusterOK(t, addrs)

	url := "redis://" + addrs[0] + "?addr=" + addrs[1] + "&addr=" + addrs[2]
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	cmd := exec.Command(goBin, "test", "-count=1", "./store/...", "./commands/...", "./cmd/pledgebot/...")
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "REDIS_CLUSTER_URL="+url, "REDIS_URL=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("suites against the cluster failed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "ok  \tgithub.com/pledgebot/pledgebot/commands") {
		t.Fatalf("commands suite did not run:\n%s", out)
	}
	t.Logf("against the cluster:\n%s", out)
}

func waitClusterOK(t *testing.T, addrs []string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for _, a := range addrs {
		rdb := redis.NewClient(&redis.Options{Addr: a})
		for {
			info, _ := rdb.ClusterInfo(context.Background()).Result()
			if strings.Contains(info, "cluster_state:ok") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("cluster on %s never became ok:\n%s", a, info)
			}
			time.Sleep(50 * time.Millisecond)
		}
		rdb.Close()
	}
}

// Package testredis runs throwaway redis-server processes for tests that
// do to Redis what the shared test server must never see, such as stalling
// it. It imports nothing of Pledgebot's, so any package's tests (store's
// own included) can use it.
package testredis

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Server is a redis-server process owned by one test.
type Server struct {
	Port int
	cmd  *exec.Cmd
}

// Start runs redis-server on a free loopback port, without persistence,
// and stops it when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Fatal("redis-server is not on PATH")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	s := &Server{Port: port}
	s.cmd = exec.Command("redis-server", "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--dir", t.TempDir(), "--save", "", "--appendonly", "no")
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.cmd.Process.Kill()
		s.cmd.Wait()
	})
	rdb := redis.NewClient(&redis.Options{Addr: s.Addr()})
	defer rdb.Close()
	deadline := time.Now().Add(10 * time.Second)
	for rdb.Ping(context.Background()).Err() != nil {
		if time.Now().After(deadline) {
			t.Fatalf("redis-server on port %d did not start", port)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return s
}

// Addr is host:port.
func (s *Server) Addr() string { return fmt.Sprintf("127.0.0.1:%d", s.Port) }

// URL is the server's redis:// URL.
func (s *Server) URL() string { return "redis://" + s.Addr() + "/0" }

// Stall makes the server answer no client's command for d, as a Redis busy
// with a slow command, a fork or a failover would (CLIENT PAUSE … ALL).
// It returns as soon as the pause is in force; connections stay open, so
// clients wait for answers rather than fail to connect.
func (s *Server) Stall(t testing.TB, d time.Duration) {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: s.Addr(), DisableIdentity: true})
	defer rdb.Close()
	if err := rdb.Do(context.Background(), "CLIENT", "PAUSE", d.Milliseconds(), "ALL").Err(); err != nil {
		t.Fatalf("stalling Redis: %v", err)
	}
}

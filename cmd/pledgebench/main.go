// Command pledgebench runs the project's headline benchmarks against a
// Redis on loopback (one it starts, or REDIS_URL) and prints one table of
// figures beside their targets. `make bench` runs it.
package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
)

// run is one `go test -bench` invocation, made count times over (at least
// once); the table shows each figure's median. Repeating whole invocations
// rather than using -count interleaves the benchmarks of a run, so a pair
// compared in one row shares the machine's noisy and quiet spells.
type run struct {
	pkg, pattern, benchtime string
	count                   int
	env                     []string
}

// row is one line of the table: a metric of a benchmark and its target.
type row struct {
	label  string
	bench  string // benchmark name without the -GOMAXPROCS suffix
	metric string // unit as the benchmark reports it
	target string
	ok     func(v float64, all results) bool
}

// results maps "BenchmarkName metric" to its values, one per repetition.
type results map[string][]float64

// get returns the median of a figure's repetitions: on a shared machine a
// single run can land in a noisy second.
func (r results) get(bench, metric string) (float64, bool) {
	vs := slices.Clone(r[bench+" "+metric])
	if len(vs) == 0 {
		return 0, false
	}
	slices.Sort(vs)
	if n := len(vs); n%2 == 0 {
		return (vs[n/2-1] + vs[n/2]) / 2, true
	}
	return vs[len(vs)/2], true
}

func main() {
	url, stop, err := redisURL()
	if err != nil {
		fmt.Fprintln(os.Stderr, "pledgebench:", err)
		os.Exit(1)
	}
	defer stop()
	fmt.Printf("pledgebench: Redis at %s, GOMAXPROCS=%s, %s\n\n", url, os.Getenv("GOMAXPROCS"), time.Now().UTC().Format(time.RFC3339))
	runs, rows := figures()
	all := results{}
	for _, r := range runs {
		for range max(r.count, 1) {
			if err := r.exec(url, all); err != nil {
				fmt.Fprintf(os.Stderr, "pledgebench: %s: %v\n", r.pkg, err)
				break
			}
		}
	}
	printTable(rows, all)
}

func (r run) exec(url string, into results) error {
	if _, err := os.Stat(strings.TrimPrefix(r.pkg, "./")); err != nil {
		return nil // the package is not in this tree
	}
	cmd := exec.Command("go", "test", "-run", "^$", "-bench", r.pattern, "-benchtime", r.benchtime, "-timeout", "10m", r.pkg)
	cmd.Env = append(append(os.Environ(), "REDIS_URL="+url), r.env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "Benchmark") {
			continue
		}
		fmt.Println(line)
		f := strings.Fields(line)
		name := f[0]
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			name = name[:i]
		}
		for i := 2; i+1 < len(f); i += 2 {
			if v, err := strconv.ParseFloat(f[i], 64); err == nil {
				into[name+" "+f[i+1]] = append(into[name+" "+f[i+1]], v)
			}
		}
	}
	if err != nil {
		return fmt.Errorf("%v\n%s", err, out.String())
	}
	return nil
}

func printTable(rows []row, all results) {
	fmt.Printf("\n%-58s %16s  %-28s %s\n", "figure", "measured", "target", "")
	fmt.Println(strings.Repeat("-", 112))
	for _, r := range rows {
		v, ok := all.get(r.bench, r.metric)
		if !ok {
			fmt.Printf("%-58s %16s  %-28s %s\n", r.label, "not run", r.target, "")
			continue
		}
		verdict := "" // a figure without a target is only reported
		if r.ok != nil {
			verdict = "ok"
			if !r.ok(v, all) {
				verdict = "MISSED"
			}
		}
		fmt.Printf("%-58s %16s  %-28s %s\n", r.label, format(v, r.metric), r.target, verdict)
	}
}

func format(v float64, metric string) string {
	switch metric {
	case "ns/op":
		return time.Duration(v).Round(time.Microsecond).String()
	case "roundtrips/op", "ratio":
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + " " + metric
}

// redisURL returns REDIS_URL, or starts a throwaway redis-server on a free
// loopback port, tuned as docs/operations.md recommends.
func redisURL() (string, func(), error) {
	if u := os.Getenv("REDIS_URL"); u != "" {
		return u, func() {}, nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command("redis-server", "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "",
		"--appendonly", "no", "--hash-max-listpack-value", "128", "--dir", os.TempDir())
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("start redis-server: %w", err)
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if ctx.Err() != nil {
			cmd.Process.Kill()
			return "", nil, fmt.Errorf("redis-server did not start on %s", addr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return "redis://" + addr + "/0", func() { cmd.Process.Kill(); cmd.Wait() }, nil
}

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/pledgetest"
)

// TestMain lets tests run the real binary as a child process: the test
// executable re-runs itself as pledgebot when PLEDGEBOT_TEST_MAIN is set.
func TestMain(m *testing.M) {
	if os.Getenv("PLEDGEBOT_TEST_MAIN") == "1" {
		if os.Getenv(childEnv) == "serve" {
			extraMounts = append(extraMounts, mountSlow) // shutdown_test.go
		}
		main()
		return
	}
	os.Exit(m.Run())
}

// pledgebot runs the binary with args, stdin and extra environment.
func pledgebot(t *testing.T, stdin string, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "PLEDGEBOT_TEST_MAIN=1")
	for _, k := range []string{"REDIS_URL", "REDIS_CLUSTER_URL", "SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "DISCORD_BOT_TOKEN", "DISCORD_PUBLIC_KEY"} {
		cmd.Env = append(cmd.Env, k+"=")
	}
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

func mustContain(t *testing.T, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Fatalf("output lacks %q:\n%s", w, got)
		}
	}
}

func TestConsoleSessionOnEmbeddedStore(t *testing.T) {
	session := `/help
/business register "Acme Bakery" sector:food postcode:CB1
/pledge add "Give 40 hours to the food bank" theme:volunteering target:40 due:2027-03-31
/pledge progress 1 12 "first team day"
/as bob
/pledge progress 1 5
/pledge list
just chatting
/as operator
/pledge show #1
`
	out, errOut, code := pledgebot(t, session, nil, "--user", "operator")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	mustContain(t, errOut, "nothing will be kept")
	mustContain(t, out,
		"Registered business #1: Acme Bakery",
		"Pledge #1 added for Acme Bakery",
		"30% (12 of 40 hours)",
		"Now acting as bob.",
		"Sorry: Pledge #1 belongs to another business",
		"Commands start with a slash",
		"@operator logged 12 hours: first team day",
	)
}

// A notice a command queues (a partner's request to confirm progress) is
// sent to each of the partner's people right after the command's reply, on
// the embedded store, once.
func TestConsoleSendsQueuedNoticesOnEmbeddedStore(t *testing.T) {
	session := `/partner register Food Bank
/partner add-member gus
/as ann
/business register Acme
/pledge add "Volunteer" theme:volunteering target:40 partner:1
/pledge progress 1 8 first week
/pledge list
`
	out, errOut, code := pledgebot(t, session, nil, "--user", "fiona")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	mustContain(t, errOut, "nothing will be kept")
	for _, who := range []string{"fiona", "gus"} {
		want := "[to " + who + "] Pledge #1 (Acme): @ann logged 8 hours on "
		if n := strings.Count(out, want); n != 1 {
			t.Fatalf("%q printed %d times, want once:\n%s", want, n, out)
		}
	}
	logged, list := strings.Index(out, "Logged 8 hours"), strings.LastIndex(out, "• #1 Volunteer")
	if notice := strings.Index(out, "[to fiona]"); notice < logged || notice > list {
		t.Fatalf("the notice is not between its command's reply and the next one:\n%s", out)
	}
	if strings.Contains(errOut, "outbox") {
		t.Fatalf("drain warning: %s", errOut)
	}
}

func TestConsoleOperatorIsAdmin(t *testing.T) {
	session := "/business register Acme\n/as bob\n/business register Bikes\n/pledge add x theme:carbon\n/as operator\n/pledge progress 1 3\n/as carol\n/pledge progress 1 3\n"
	out, _, _ := pledgebot(t, session, nil, "console", "--user", "operator")
	mustContain(t, out, "Logged 3 tonnes CO2e against pledge #1", "Sorry: Pledge #1 belongs to another business")
}

func TestPersistenceAcrossProcesses(t *testing.T) {
	rdb := pledgetest.Client(t)
	prefix := pledgetest.Prefix(t, rdb)
	cfg := filepath.Join(t.TempDir(), "pledgebot.yaml")
	os.WriteFile(cfg, []byte("redis:\n  prefix: "+prefix+"\n"), 0o600)
	env := []string{"REDIS_URL=" + pledgetest.RedisURL()}
	if u := os.Getenv("REDIS_CLUSTER_URL"); u != "" {
		env = []string{"REDIS_CLUSTER_URL=" + u}
	}

	out, errOut, code := pledgebot(t, "/business register Acme\n/pledge add \"Buy from local suppliers\" theme:buy-local target:20000\n/pledge progress 1 £1,500 flour from the mill\n",
		env, "console", "--user", "alice", "--config", cfg)
	if code != 0 || strings.Contains(errOut, "nothing will be kept") {
		t.Fatalf("first run: exit %d\n%s", code, errOut)
	}
	mustContain(t, out, "Pledge #1 added")

	out, _, code = pledgebot(t, "/pledge list\n/pledge show 1\n", env, "console", "--user", "bob", "--config", cfg)
	if code != 0 {
		t.Fatalf("second run: exit %d", code)
	}
	mustContain(t, out, "#1 Buy from local suppliers", "8% (1,500 of £20,000)", "@alice logged £1,500: flour from the mill")
}

func TestBadConfigStopsBeforeStarting(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(cfg, []byte("redis:\n  prefix: pb\n  urll: x\n"), 0o600)
	_, errOut, code := pledgebot(t, "/help\n", nil, "console", "--config", cfg)
	if code == 0 {
		t.Fatal("bad config accepted")
	}
	mustContain(t, errOut, "urll")
}

func TestUnknownSubcommand(t *testing.T) {
	_, errOut, code := pledgebot(t, "", nil, "frobnicate")
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	mustContain(t, errOut, `unknown subcommand "frobnicate"`)
}

// A schedule the scheduler would refuse stops the bot while the file is
// read, naming the file and the field, before any store is opened.
func TestBadScheduleStopsBeforeStarting(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(cfg, []byte("schedules:\n  digest: \"0 9 * *\"\n"), 0o600)
	_, errOut, code := pledgebot(t, "/help\n", nil, "console", "--config", cfg)
	if code == 0 {
		t.Fatal("bad cron spec accepted")
	}
	mustContain(t, errOut, cfg+`: schedules.digest: "0 9 * *" is not a five-field cron spec`)
	if strings.Contains(errOut, "embedded in-memory store") {
		t.Errorf("the store was opened before the schedule was checked:\n%s", errOut)
	}
}

package integration

import (
	"os/exec"
	"strings"
	"testing"
)

// TestPersistenceWarningWithoutConfigCommand: managed Redis services often
// disable CONFIG; the start-up warning then falls back to INFO persistence
// (persistenceWarning in cmd/pledgebot, whose unit test covers CONFIG).
func TestPersistenceWarningWithoutConfigCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := pledgebotBinary(t)
	cfg := testConfig(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--rename-command", "CONFIG", ""}, "aof_enabled:0"},
		{[]string{"--rename-command", "CONFIG", "", "--appendonly", "yes"}, ""},
	} {
		s := StartRedis(t, tc.args...)
		cmd := exec.Command(bin, "run-job", "lapse", "--community", community, "--config", cfg)
		cmd.Env = []string{"REDIS_URL=" + s.URL(), "HOME=" + t.TempDir()}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("run-job: %v\n%s", err, out)
		}
		warned := strings.Contains(string(out), "Set appendonly yes")
		if tc.want == "" && warned {
			t.Errorf("%v: warned with the append-only file on:\n%s", tc.args, out)
		}
		if tc.want != "" && !strings.Contains(string(out), tc.want) {
			t.Errorf("%v: want a warning naming %q:\n%s", tc.args, tc.want, out)
		}
	}
}

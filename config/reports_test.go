package config

import (
	"strings"
	"testing"
)

func TestReportsConfig(t *testing.T) {
	cases := []struct {
		r   Reports
		bad string
	}{
		{Reports{}, ""},
		{Reports{BaseURL: "https://pledge.example.org", Secret: "0123456789abcdef"}, ""},
		{Reports{BaseURL: "http://localhost:8080/bot"}, ""},
		{Reports{BaseURL: "pledge.example.org"}, "reports.base_url"},
		{Reports{BaseURL: "javascript:alert(1)"}, "reports.base_url"},
		{Reports{BaseURL: "https://x.org/?a=b"}, "reports.base_url"},
		{Reports{Secret: "short"}, "reports.secret"},
	}
	for _, c := range cases {
		cfg := &Config{Reports: c.r}
		cfg.applyEnv()
		cfg.Redis.Prefix = "pb"
		err := cfg.Validate()
		if (err != nil) != (c.bad != "") || (err != nil && !strings.Contains(err.Error(), c.bad)) {
			t.Errorf("%+v: %v, want %q", c.r, err, c.bad)
		}
	}
	t.Setenv("PLEDGEBOT_REPORT_SECRET", "from the environment!")
	t.Setenv("PLEDGEBOT_PUBLIC_URL", "https://env.example.org")
	cfg, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Reports.Secret != "from the environment!" || cfg.Reports.BaseURL != "https://env.example.org" {
		t.Errorf("env: %+v", cfg.Reports)
	}
}

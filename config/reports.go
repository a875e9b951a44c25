package config

import (
	"fmt"
	"net/url"
)

// Reports configures the council report page and /summary link.
type Reports struct {
	// BaseURL is the bot's public address, e.g. https://pledgebot.example.org
	// (PLEDGEBOT_PUBLIC_URL). Links are relative paths without it.
	BaseURL string `yaml:"base_url"`
	// Secret signs report links (PLEDGEBOT_REPORT_SECRET). Without it each
	// community's secret is generated once and kept in Redis.
	Secret string `yaml:"secret"`
}

// validate checks the reports section.
func (r Reports) validate() []error {
	var errs []error
	if r.BaseURL != "" {
		u, err := url.Parse(r.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			errs = append(errs, fmt.Errorf("reports.base_url: %q: want http(s)://host[/path], e.g. https://pledgebot.example.org", r.BaseURL))
		}
	}
	if r.Secret != "" && len(r.Secret) < 16 {
		errs = append(errs, fmt.Errorf("reports.secret: use at least 16 characters (32 random bytes are best)"))
	}
	return errs
}

package metrics

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// slackInstalls reports pledgebot_slack_installations, read from the
// store at each scrape, so every replica gives the same figure whichever
// of them handled the install. Nothing is reported without distribution
// (no count function) or while the store does not answer.
var slackInstalls = &countCollector{desc: prometheus.NewDesc("pledgebot_slack_installations",
	"Slack workspaces with an installation (distribution), read from Redis at each scrape.", nil, nil)}

// countCollector is a gauge whose value a function gives at scrape time.
type countCollector struct {
	desc  *prometheus.Desc
	mu    sync.Mutex
	count func(context.Context) (int64, error)
}

// scrapeTimeout bounds the store read, so a hung Redis does not hang
// /metrics.
const scrapeTimeout = time.Second

func (c *countCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *countCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	f := c.count
	c.mu.Unlock()
	if f == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	n, err := f(ctx)
	if err != nil {
		return
	}
	ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n))
}

// SlackInstallations makes pledgebot_slack_installations report count's
// answer (the store's installation count); nil stops reporting it.
func SlackInstallations(count func(context.Context) (int64, error)) {
	slackInstalls.mu.Lock()
	defer slackInstalls.mu.Unlock()
	slackInstalls.count = count
}

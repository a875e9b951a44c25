package report_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/report"
)

// The public pledge table shows a pledge's amounts in its own unit: a
// pledge of 800 kg with 200 kg logged reads "200 kg CO2e of 800 kg CO2e", not
// "0.2 kg CO2e of 0.8 kg CO2e".
func TestPublicPledgeTableInPledgeUnit(t *testing.T) {
	cfg := &config.Config{Themes: config.DefaultThemes}
	h := pledgetest.NewWithConfig(t, cfg)
	h.Clock.Set(time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC))
	h.MustDo("owner", "/business register Acme")
	h.MustDo("owner", `/pledge add "Cut carbon" theme:carbon target:800 unit:kg`)
	h.MustDo("owner", "/pledge progress 1 200")
	h.MustDo(h.Admin, "/roles grant council council")
	mux := http.NewServeMux()
	mux.Handle("GET /reports/{community}", report.Handler(h.Bot, nil))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	res, err := http.Get(link(t, h, srv, "/summary link period:2026-Q4"))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	page := string(body)
	if !strings.Contains(page, "200 kg CO2e of 800 kg CO2e") {
		i := strings.Index(page, "Cut carbon")
		t.Errorf("public pledge row: %s", page[i:min(len(page), i+200)])
	}
}

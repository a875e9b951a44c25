package bot

// ReportConfig says how /summary link builds report links. An empty Secret
// means each community's secret is generated once and kept in the store, so
// every replica signs and checks links alike.
type ReportConfig struct {
	BaseURL string // e.g. https://pledgebot.example.org (no trailing slash)
	Secret  string
}

// Reports is the report-link configuration.
func (b *Bot) Reports() ReportConfig { return b.reports }

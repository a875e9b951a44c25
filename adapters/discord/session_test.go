package discord

import (
	"net/http"
	"testing"
)

type recordTransport struct{ got []string }

func (r *recordTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r.got = append(r.got, req.URL.String()+" host="+req.Host)
	return &http.Response{StatusCode: 204, Body: http.NoBody, Header: http.Header{}}, nil
}

func TestAPIURLRewrite(t *testing.T) {
	for _, tc := range []struct{ base, in, want string }{
		{"http://127.0.0.1:9/api/v10", "https://discord.com/api/v9/channels/1/messages?x=1", "http://127.0.0.1:9/api/v10/channels/1/messages?x=1 host=127.0.0.1:9"},
		{"http://proxy.local:8080", "https://discord.com/api/v9/users/@me", "http://proxy.local:8080/api/v9/users/@me host=proxy.local:8080"},
		{"https://proxy.local/discord/", "https://discord.com/api/v9/gateway/bot", "https://proxy.local/discord/gateway/bot host=proxy.local"},
		{"http://127.0.0.1:9", "https://cdn.discordapp.com/avatars/1.png", "https://cdn.discordapp.com/avatars/1.png host=cdn.discordapp.com"},
	} {
		rec := &recordTransport{}
		s, err := NewSession("tok", tc.base, rec)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest("GET", tc.in, nil)
		s.Client.Do(req)
		if len(rec.got) != 1 || rec.got[0] != tc.want {
			t.Errorf("%s via %s: got %v, want %s", tc.in, tc.base, rec.got, tc.want)
		}
		if s.Token != "Bot tok" {
			t.Errorf("token %q", s.Token)
		}
	}
	for _, bad := range []string{"ftp://x", "not a url", "http://"} {
		if _, err := NewSession("", bad, nil); err == nil {
			t.Errorf("DISCORD_API_URL %q accepted", bad)
		}
	}
}

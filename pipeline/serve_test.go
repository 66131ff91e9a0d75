package pipeline

import (
	"path/filepath"
	"testing"

	"jingjian/internal/sitetest"
	"jingjian/site"
)

// TestServedBaseURL: serve builds a site whose baseURL is no full address with its own
// address, keeping the path config.toml gives, so feeds carry absolute links.
func TestServedBaseURL(t *testing.T) {
	relative := sitetest.Write(t, map[string]string{"config.toml": "title = \"t\"\n"})
	sub := sitetest.Write(t, map[string]string{"config.toml": "title = \"t\"\nbaseURL = \"/lz/\"\n"})
	full := sitetest.Write(t, map[string]string{"config.toml": "title = \"t\"\nbaseURL = \"https://kb.example.gov.cn/\"\n"})
	for _, tt := range []struct {
		site, flag, addr, want string
	}{
		{relative, "", "127.0.0.1:1313", "http://127.0.0.1:1313/"},
		{relative, "", "localhost:8080", "http://localhost:8080/"},
		{sub, "", "10.1.2.3:80", "http://10.1.2.3:80/lz/"},
		{relative, "", "0.0.0.0:8080", ""},
		{relative, "", ":8080", ""},
		{relative, "", "127.0.0.1:0", ""},
		{full, "", "127.0.0.1:1313", ""},
		{relative, "https://given.example/", "127.0.0.1:1313", "https://given.example/"},
	} {
		cfg, err := site.LoadConfig(filepath.Join(tt.site, "config.toml"), "config.toml")
		if err != nil {
			t.Fatal(err)
		}
		if got := servedBaseURL(tt.flag, cfg, tt.addr); got != tt.want {
			t.Errorf("servedBaseURL(%s, flag %q, %s) = %q; want %q", tt.site, tt.flag, tt.addr, got, tt.want)
		}
	}
}

package server

import "testing"

func TestNegotiate(t *testing.T) {
	tests := []struct{ accept, want string }{
		{"", ""},
		{"identity", ""},
		{"gzip", "gzip"},
		{"gzip, deflate, br", "br"},
		{"gzip;q=1.0, br;q=0.5", "gzip"},
		{"br;q=0", ""},
		{"br;q=0, gzip", "gzip"},
		{"*", "br"},
		{"*;q=0", ""},
		{"GZIP", "gzip"},
		{"gzip;q=abc", "gzip"},
		{" br ; q=0.8 , gzip ; q=0.9", "gzip"},
	}
	for _, tt := range tests {
		if got := negotiate(tt.accept); got != tt.want {
			t.Errorf("negotiate(%q) = %q, want %q", tt.accept, got, tt.want)
		}
	}
}

package config

import (
	"testing"
	_ "time/tzdata"
)

func TestZones(t *testing.T) {
	z := Schedules{Timezones: map[string]string{"dublin": "Europe/Dublin"}}.Zones()
	if got := z("dublin").String(); got != "Europe/Dublin" {
		t.Errorf("dublin's zone = %s", got)
	}
	if got := z("anywhere").String(); got != "Europe/London" {
		t.Errorf("default zone = %s, want Europe/London", got)
	}
}

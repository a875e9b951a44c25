package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	_ "time/tzdata" // schedules.timezone must work in a scratch/distroless image with no zoneinfo
)

// commit is set at build time with -ldflags "-X main.commit=..."; when it
// is not, the VCS stamp Go records in the binary (if any) is used.
var commit = ""

// buildVersion returns the version and commit of this binary: the
// -ldflags values when injected, else what runtime/debug knows (a module
// version from `go install ...@v1.2.3`, the VCS revision of a checkout).
func buildVersion() (v, c string) {
	v, c = version, commit
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return v, orUnknown(c)
	}
	if v == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		v = info.Main.Version
	}
	if c == "" {
		var rev, modified string
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" && modified == "true" {
			rev += "-dirty"
		}
		c = rev
	}
	return v, orUnknown(c)
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// versionLine is what `pledgebot version` prints.
func versionLine() string {
	v, c := buildVersion()
	return fmt.Sprintf("pledgebot %s (commit %s, %s, %s/%s)", v, c, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

# The README's two commands need no make; these are conveniences.
.PHONY: run test fuzz bench build

run:
	go run ./cmd/pledgebot

test:
	go test -race ./... && PLEDGEBOT_TEST_STORE=embedded go test ./store ./schedules ./commands

# Every fuzz target for FUZZTIME each (not part of the default test run).
FUZZTIME ?= 60s
fuzz:
	@set -e; for f in $$(grep -rl --include='*_test.go' '^func Fuzz' .); do \
	  pkg=./$$(dirname $$f); \
	  for t in $$(grep -o '^func Fuzz[A-Za-z0-9_]*' $$f | cut -d' ' -f2); do \
	    echo "== $$pkg $$t"; go test $$pkg -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME); \
	  done; \
	done

# Headline figures against their targets, on loopback, against a Redis it
# starts (or REDIS_URL). Not part of the default test run.
bench:
	go run ./cmd/pledgebench

# The static release binary, as the Dockerfile builds it, with version and
# commit stamped for `pledgebot version` and pledgebot_build_info.
VERSION ?= $(shell git describe --tags --always 2>/dev/null || echo dev)
COMMIT ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
build:
	CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags "-s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT)" -o pledgebot ./cmd/pledgebot

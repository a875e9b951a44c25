# The README's two commands need no make; these are conveniences.
.PHONY: run test fuzz bench

run:
	go run ./cmd/pledgebot

test:
	go test -race ./...

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

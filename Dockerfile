# Pledgebot container image: a static binary on distroless, running as a
# non-root user. Build with
#   docker build --build-arg VERSION=$(git describe --tags --always) \
#                --build-arg COMMIT=$(git rev-parse --short HEAD) -t pledgebot .

FROM golang:1.26 AS build
WORKDIR /src
# Modules first, so code changes do not re-download them.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
ARG COMMIT=unknown
# Static (no cgo), reproducible paths; version and commit for `pledgebot
# version` and pledgebot_build_info. -buildvcs=false because .git is not
# copied in (see .dockerignore); COMMIT carries that information instead.
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false \
      -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}" \
      -o /out/pledgebot ./cmd/pledgebot

# distroless/static has CA certificates (for Slack and Discord over TLS),
# /etc/passwd with a nonroot user (uid 65532), and nothing else: no shell.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/pledgebot /usr/local/bin/pledgebot
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/pledgebot"]
CMD ["serve"]

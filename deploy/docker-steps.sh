#!/usr/bin/env bash
# deploy/docker-steps.sh: the build steps of deploy/Dockerfile, run as a script on a machine
# without a Docker daemon (see deploy/docker.md). It
#   1. builds the static binary with the Dockerfile's flags and checks it is static;
#   2. builds the health-check program, taken from the Dockerfile's heredoc itself;
#   3. builds the example site into a temporary /site, owned by UID 65532 as in the image;
#   4. runs serve as UID:GID 65532:65532 on loopback (setpriv, as root) and fetches
#      /healthz with the health-check program, plus one search;
#   5. removes everything it made (the temporary directory, the server process).
# Usage: deploy/docker-steps.sh [port]   (default 18313; loopback only)
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-18313}"
uid=65532

work="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
root="$work/root"            # stands for the image's filesystem
bin="$root/usr/local/bin"
mkdir -p "$bin" "$root/site"

step() { printf '\n== %s\n' "$*"; }

step "go version (Dockerfile: golang:$(sed -n 's/^go //p' go.mod)-bookworm)"
go version
grep -q "^ARG GO_IMAGE=golang:$(sed -n 's/^go //p' go.mod)-" deploy/Dockerfile \
  || { echo "deploy/Dockerfile's GO_IMAGE does not match go.mod's go line" >&2; exit 1; }

step "static build: CGO_ENABLED=0 go build -trimpath -ldflags \"-s -w\""
CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath -ldflags "-s -w" -o "$bin/jingjian" ./cmd/jingjian
"$bin/jingjian" version
file "$bin/jingjian"
file "$bin/jingjian" | grep -q 'statically linked' || { echo "not statically linked" >&2; exit 1; }
if ldd "$bin/jingjian" >/dev/null 2>&1; then echo "ldd found dynamic dependencies" >&2; ldd "$bin/jingjian"; exit 1; fi
echo "ldd: $(ldd "$bin/jingjian" 2>&1 || true)"
ls -l "$bin/jingjian"

step "health-check program (from the Dockerfile's COPY <<'GO' heredoc)"
mkdir -p "$work/healthcheck"
awk '/^COPY <<.GO. \/healthcheck\/main.go$/ {on=1; next} on && /^GO$/ {exit} on {print}' \
  deploy/Dockerfile > "$work/healthcheck/main.go"
[ -s "$work/healthcheck/main.go" ] || { echo "no health-check heredoc in deploy/Dockerfile" >&2; exit 1; }
(cd "$work/healthcheck" && go mod init healthcheck >/dev/null 2>&1 \
  && CGO_ENABLED=0 GOFLAGS= go build -trimpath -ldflags "-s -w" -o "$bin/healthcheck" .)
file "$bin/healthcheck" | grep -q 'statically linked' || { echo "healthcheck not static" >&2; exit 1; }
echo "healthcheck: $(file -b "$bin/healthcheck" | cut -d, -f1-2), statically linked"

step "example site built into /site"
cp -a config.toml content themes "$root/site/"
"$bin/jingjian" build -s "$root/site" -q
ls -A "$root/site"
du -sh "$root/site/public" "$root/site/.jingjian/index"

step "serve as UID $uid (USER $uid:$uid in the image)"
log="$work/serve.log"
if [ "$(id -u)" = 0 ]; then
  chown -R "$uid:$uid" "$root/site"
  # The image's /site is owned by 65532; everything above it is root's and read-only to it.
  chmod 755 "$work" "$root" "$root/usr" "$root/usr/local" "$bin"
  run=(setpriv --reuid="$uid" --regid="$uid" --clear-groups --no-new-privs --)
else
  echo "not root: serve runs as $(id -u), not $uid"
  run=()
fi
# The image binds 0.0.0.0, where --watch=false is the default; here loopback, said explicitly.
(cd "$root/site" && exec "${run[@]}" env -i PATH="$bin" \
  jingjian serve -s "$root/site" --addr "127.0.0.1:$port" --watch=false) >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  if "$bin/healthcheck" "http://127.0.0.1:$port/healthz"; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$log" >&2; echo "serve exited" >&2; exit 1; fi
  sleep 0.1
done
"$bin/healthcheck" "http://127.0.0.1:$port/healthz" || { cat "$log" >&2; echo "health check failed" >&2; exit 1; }
echo "health check: GET /healthz → 200 (healthcheck exit 0)"
echo "serve runs as uid $(awk '/^Uid:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo '?') (setpriv execs in place)"
grep -q '输出已是最新' "$log" && echo "start: output current (no rebuild at start)" || echo "start: rebuilt at start (see log)"
if command -v curl >/dev/null 2>&1; then
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")
  echo "GET / → $code"
  [ "$code" = 200 ] || exit 1
  total=$(curl -s -G "http://127.0.0.1:$port/api/search" --data-urlencode 'q=低保' --data-urlencode 'facets=0' \
    | sed -n 's/.*"total": *\([0-9]*\).*/\1/p')
  echo "GET /api/search?q=低保 → total ${total:-?}"
fi
step "serve log"
cat "$log"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
echo
echo "docker-steps: OK"

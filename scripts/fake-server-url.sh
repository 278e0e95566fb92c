# Sourced by the package checks. fake_server_url LOG: waits (10 s at most) for a fake server
# started with its output in LOG to print where it listens, and prints that URL.
fake_server_url() {
  local url=""
  for _ in $(seq 1 100); do
    url="$(grep -oE 'listening on http://[^ ]+' "$1" | cut -d' ' -f3 || true)"
    [ -n "$url" ] && break
    sleep 0.1
  done
  [ -n "$url" ] || { cat "$1" >&2; echo 'the fake server did not start' >&2; return 1; }
  echo "$url"
}

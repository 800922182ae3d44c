#!/usr/bin/env bash
# Measures Authdeck's window beside the floor of any Fyne app (bench/floor: a
# window of the same size whose one label changes once a second), both built
# and run here, under the same Xvfb display:
#
#   - start-up time to the first painted frame, with 50 and 500 accounts;
#   - idle CPU % and RSS with 50 and with 500 accounts, each beside the floor;
#   - Authdeck's CPU % hidden (its window unmapped, as in the tray) and locked
#     (by the screensaver's signal), against the floor's.
#
# The accounts' issuers are services with a bundled icon, so that every tile
# draws one.
#
#   bench/ui.sh            # from the repository root; about two minutes
#
# It runs itself inside scripts/session (a private D-Bus, an unlocked
# gnome-keyring and Xvfb), so that the vaults it makes use a real keychain.
# Needs xdotool and imagemagick's import. IDLE_SECONDS (default 20) and RUNS
# (start-ups per case, default 5; the median is reported) tune it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${AUTHDECK_IN_SESSION:-}" ]; then
  exec scripts/session "$0" "$@"
fi

idle=${IDLE_SECONDS:-20}
runs=${RUNS:-5}
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "building the floor app and Authdeck..." >&2
# The floor is any Fyne app as Fyne builds it by default; Authdeck is built as
# the Makefile builds it (which leaves out Fyne's emoji font).
go build -tags migrated_fynedo -o "$work/floor" ./bench/floor
go build -tags "$(sed -n 's/^TAGS *:= *//p' Makefile)" -o "$work/authdeck" .

# makevault DIR N fills a vault in DIR with N accounts through the CLI, in one
# import.
brands=(GitHub Google Dropbox Steam Discord Cloudflare DigitalOcean PayPal Coinbase Kraken Bitwarden npm PyPI
  GitLab Reddit Twitch "Epic Games" Hetzner Mastodon Stripe Atlassian Docker "Proton Mail" Fastmail Twitter
  Facebook Instagram Nintendo Ubisoft Binance)
makevault() {
  local dir=$1 n=$2 i issuer
  mkdir -p -m 700 "$dir"
  for i in $(seq "$n"); do
    issuer=${brands[$((i % ${#brands[@]}))]}
    echo "otpauth://totp/${issuer// /%20}:user$i@example.com?secret=$(printf 'acct%06d' "$i" | base32)&issuer=${issuer// /%20}"
  done >"$dir.uris"
  AUTHDECK_HOME=$dir "$work/authdeck" import --from uris "$dir.uris" >/dev/null
  local got
  got=$(AUTHDECK_HOME=$dir "$work/authdeck" list | tail -n +2 | wc -l)
  [ "$got" -eq "$n" ] || { echo "bench: the vault in $dir has $got accounts, not $n" >&2; exit 1; }
}
echo "making vaults of 50 and 500 accounts..." >&2
makevault "$work/v50" 50
makevault "$work/v500" 500

now_ms() { date +%s%3N; }

# startup NAME CMD... prints the milliseconds from exec to the first frame:
# the window is mapped and holds more than a few colours (text is drawn).
startup() {
  local title=$1; shift
  local t0 pid wid colours
  t0=$(now_ms)
  "$@" >/dev/null 2>&1 &
  pid=$!
  pids+=("$pid")
  while :; do
    wid=$(xdotool search --onlyvisible --name "^$title\$" 2>/dev/null | head -1 || true)
    if [ -n "$wid" ]; then
      colours=$(import -window "$wid" -format '%k' info: 2>/dev/null || echo 0)
      [ "${colours:-0}" -gt 8 ] && break
    fi
    if [ $(( $(now_ms) - t0 )) -gt 30000 ]; then echo "timeout: $title did not draw its window in 30 s" >&2; break; fi
    sleep 0.02
  done
  echo $(( $(now_ms) - t0 ))
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Start-ups alternate between the apps so that both see the same machine.
declare -A start
for case in floor a50 a500; do : >"$work/start-$case"; done
for _ in $(seq "$runs"); do
  startup Floor "$work/floor" >>"$work/start-floor"
  AUTHDECK_HOME=$work/v50 startup Authdeck "$work/authdeck" >>"$work/start-a50"
  AUTHDECK_HOME=$work/v500 startup Authdeck "$work/authdeck" >>"$work/start-a500"
done
for case in floor a50 a500; do start[$case]=$(median <"$work/start-$case"); done

# idle_run DIR: both apps open side by side for $idle seconds after settling;
# sets cpu_floor, cpu_app, rss_floor and rss_app.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_mb() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)
idle_run() {
  "$work/floor" >/dev/null 2>&1 &
  local floor_pid=$!
  pids+=("$floor_pid")
  AUTHDECK_HOME=$1 "$work/authdeck" >/dev/null 2>&1 &
  local app_pid=$!
  pids+=("$app_pid")
  xdotool search --sync --onlyvisible --name '^Floor$' >/dev/null
  xdotool search --sync --onlyvisible --name '^Authdeck$' >/dev/null
  sleep 5
  local f0 a0 f1 a1
  f0=$(ticks "$floor_pid"); a0=$(ticks "$app_pid")
  sleep "$idle"
  f1=$(ticks "$floor_pid"); a1=$(ticks "$app_pid")
  cpu_floor=$(awk -v d=$((f1 - f0)) -v hz="$hz" -v s="$idle" 'BEGIN {printf "%.2f", 100 * d / hz / s}')
  cpu_app=$(awk -v d=$((a1 - a0)) -v hz="$hz" -v s="$idle" 'BEGIN {printf "%.2f", 100 * d / hz / s}')
  rss_floor=$(rss_mb "$floor_pid"); rss_app=$(rss_mb "$app_pid")
  kill "$floor_pid" "$app_pid" 2>/dev/null || true
  wait "$floor_pid" "$app_pid" 2>/dev/null || true
}
idle_run "$work/v50"
cpu_floor50=$cpu_floor cpu_app50=$cpu_app rss_floor50=$rss_floor rss_app50=$rss_app
idle_run "$work/v500"

# cpu_over PID SECONDS prints the CPU % of PID over the next SECONDS.
cpu_over() {
  local t0 t1
  t0=$(ticks "$1"); sleep "$2"; t1=$(ticks "$1")
  awk -v d=$((t1 - t0)) -v hz="$hz" -v s="$2" 'BEGIN {printf "%.2f", 100 * d / hz / s}'
}
# Hidden and locked, 50 accounts, beside the floor.
"$work/floor" >/dev/null 2>&1 &
floor_pid=$!
pids+=("$floor_pid")
AUTHDECK_HOME="$work/v50" "$work/authdeck" >/dev/null 2>&1 &
app_pid=$!
pids+=("$app_pid")
xdotool search --sync --onlyvisible --name '^Floor$' >/dev/null
xdotool search --sync --onlyvisible --name '^Authdeck$' >/dev/null
sleep 5
# Hidden (unmapped, as in the tray): the clock stops. The floor runs on.
cpu_floor_hl=$(cpu_over "$floor_pid" "$idle")
wid=$(xdotool search --onlyvisible --name '^Authdeck$' | head -1)
xdotool windowunmap --sync "$wid"
sleep 2
cpu_hidden=$(cpu_over "$app_pid" "$idle")
xdotool windowmap --sync "$wid"
# Locked by the screensaver's signal on the session bus: the vault is dropped, the clock stops.
dbus-send --session --type=signal /org/freedesktop/ScreenSaver org.freedesktop.ScreenSaver.ActiveChanged boolean:true
sleep 2
cpu_locked=$(cpu_over "$app_pid" "$idle")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }
# verdict A B K M: "ok" when A <= K * B + M.
verdict() { if awk -v a="$1" -v b="$2" -v k="$3" -v m="$4" 'BEGIN {exit !(a <= k * b + m)}'; then echo "ok"; else echo "OVER"; fi; }

printf '\n%-34s %10s %10s %8s  %s\n' "measure" "floor" "Authdeck" "ratio" "target"
printf '%-34s %10s %10s %8s  %s\n' "start-up to first frame, 50 acc." "${start[floor]} ms" "${start[a50]} ms" \
  "$(ratio "${start[a50]}" "${start[floor]}")" "<= 1.5x: $(verdict "${start[a50]}" "${start[floor]}" 1.5 0)"
printf '%-34s %10s %10s %8s  %s\n' "start-up to first frame, 500 acc." "${start[floor]} ms" "${start[a500]} ms" \
  "$(ratio "${start[a500]}" "${start[floor]}")" "<= 1.5x: $(verdict "${start[a500]}" "${start[floor]}" 1.5 0)"
printf '%-34s %10s %10s %8s  %s\n' "idle CPU, 50 accounts (${idle} s)" "$cpu_floor50 %" "$cpu_app50 %" \
  "$(ratio "$cpu_app50" "$cpu_floor50")" "<= 1.5x: $(verdict "$cpu_app50" "$cpu_floor50" 1.5 0)"
printf '%-34s %10s %10s %8s  %s\n' "idle CPU, 500 accounts (${idle} s)" "$cpu_floor %" "$cpu_app %" \
  "$(ratio "$cpu_app" "$cpu_floor")" "<= 1.5x: $(verdict "$cpu_app" "$cpu_floor" 1.5 0)"
printf '%-34s %10s %10s %8s  %s\n' "CPU hidden, 50 accounts (${idle} s)" "$cpu_floor_hl %" "$cpu_hidden %" \
  "$(ratio "$cpu_hidden" "$cpu_floor_hl")" "<= 1x: $(verdict "$cpu_hidden" "$cpu_floor_hl" 1 0)"
printf '%-34s %10s %10s %8s  %s\n' "CPU locked, 50 accounts (${idle} s)" "$cpu_floor_hl %" "$cpu_locked %" \
  "$(ratio "$cpu_locked" "$cpu_floor_hl")" "<= 1x: $(verdict "$cpu_locked" "$cpu_floor_hl" 1 0)"
printf '%-34s %10s %10s %8s  %s\n' "RSS, 50 accounts" "$rss_floor50 MB" "$rss_app50 MB" \
  "+$((rss_app50 - rss_floor50)) MB" "<= +30 MB: $(verdict "$rss_app50" "$rss_floor50" 1 30)"
printf '%-34s %10s %10s %8s  %s\n' "RSS, 500 accounts" "$rss_floor MB" "$rss_app MB" \
  "+$((rss_app - rss_floor)) MB" "<= +30 MB: $(verdict "$rss_app" "$rss_floor" 1 30)"
echo
echo "(start-up: median of $runs runs; first frame = window mapped and drawn, polled every ~20 ms with import)"

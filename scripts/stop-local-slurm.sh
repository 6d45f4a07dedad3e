#!/usr/bin/env bash
# Stops exactly the daemons scripts/start-local-slurm.sh started, by the PIDs it recorded (never by name):
# `scontrol shutdown` first, then each recorded PID (TERM, then KILL) until gone; zombies count as gone.
set -uo pipefail

STATE=${HARNESS_SLURM_STATE:-/tmp/harness-slurm}
PIDS=$STATE/pids

alive() {
  local pid=$1 stat
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
  [ "$(sed -E 's/^.*\) ([A-Za-z]).*$/\1/' <<<"$stat")" != Z ]
}
# The recorded PID still runs the daemon we started (guards against a reused PID).
ours() { alive "$1" && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q "$2"; }
wait_gone() { for _ in $(seq "$2"); do alive "$1" || return 0; sleep 0.1; done; ! alive "$1"; }

if ! ls "$PIDS"/* >/dev/null 2>&1; then echo "local-slurm: nothing to stop (no pids in $PIDS)"; exit 0; fi

if [ -s "$PIDS/slurmctld" ] && alive "$(cat "$PIDS/slurmctld")"; then
  timeout 10 scontrol shutdown >/dev/null 2>&1 || true
fi
for daemon in slurmd slurmctld munged; do
  [ -s "$PIDS/$daemon" ] || continue
  pid=$(cat "$PIDS/$daemon")
  if ours "$pid" "$daemon"; then
    wait_gone "$pid" 50 || { kill -TERM "$pid" 2>/dev/null; wait_gone "$pid" 50; } || { kill -KILL "$pid" 2>/dev/null; wait_gone "$pid" 20; }
  fi
  if alive "$pid"; then echo "local-slurm: $daemon ($pid) did not stop" >&2; else echo "local-slurm: stopped $daemon ($pid)"; rm -f "$PIDS/$daemon"; fi
done

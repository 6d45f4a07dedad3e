#!/usr/bin/env bash
# Brings up a real single-node Slurm on this machine (127.0.0.1), for the Slurm integration tests and for
# trying `harness submit --slurm` without a cluster. Needs root; installs the Debian packages when missing.
# Idempotent: a second call finds the daemons alive and returns at once. The PIDs of the daemons this
# script started go to $HARNESS_SLURM_STATE/pids (default /tmp/harness-slurm/pids), which is exactly what
# scripts/stop-local-slurm.sh stops. Facts behind each setting: shared/reference/local-slurm.md.
set -euo pipefail

STATE=${HARNESS_SLURM_STATE:-/tmp/harness-slurm}
CLUSTER=${HARNESS_SLURM_CLUSTER:-harness-local}
CONF=/etc/slurm/slurm.conf
PIDS=$STATE/pids
t0=$(date +%s%N)

say() { echo "local-slurm: $*"; }
die() { echo "local-slurm: $*" >&2; exit 1; }
elapsed() { awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }

# A process is alive when /proc has it and it is not a zombie (exited daemons linger as zombies here).
alive() {
  local pid=$1 stat
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
  [ "$(sed -E 's/^.*\) ([A-Za-z]).*$/\1/' <<<"$stat")" != Z ]
}
recorded_alive() { [ -s "$PIDS/$1" ] && alive "$(cat "$PIDS/$1")"; }
node_name() { hostname -s; }
node_ready() {
  local info
  info=$(scontrol show node "$(node_name)" 2>/dev/null) || return 1
  grep -Eq 'State=(IDLE|MIXED|ALLOCATED)( |$)' <<<"$info" && ! grep -q 'SlurmdStartTime=None' <<<"$info" \
    && ! grep -Eq 'State=[A-Z+]*(DOWN|DRAIN|NOT_RESPONDING)' <<<"$info"
}

# Already up (started by us earlier): nothing to do.
if recorded_alive slurmctld && recorded_alive slurmd && command -v scontrol >/dev/null \
   && timeout 5 scontrol ping >/dev/null 2>&1 && node_ready; then
  say "already running (slurmctld $(cat "$PIDS/slurmctld"), slurmd $(cat "$PIDS/slurmd")); checked in $(elapsed) s"
  exit 0
fi
# A Slurm this script did not start (a real cluster, a developer's own) is left alone: no config is overwritten.
if ! ls "$PIDS"/* >/dev/null 2>&1 && command -v scontrol >/dev/null && timeout 5 scontrol ping 2>/dev/null | grep -q UP; then
  say "a Slurm not started by this script is already running (scontrol ping answers); leaving it alone"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || die "needs root (it installs packages and starts daemons)"

# Leftovers of an earlier, half-dead bring-up: stop what we started then, by PID.
if ls "$PIDS"/* >/dev/null 2>&1; then
  say "restarting: stopping the daemons of an earlier bring-up"
  bash "$(dirname "$0")/stop-local-slurm.sh" || true
fi

# 1. Packages (Slurm 22.05 and munge on Debian 12).
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  say "installing slurmctld slurmd slurm-client munge"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || die "apt-get update failed"
  apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null \
    || die "apt-get install slurmctld slurmd slurm-client munge failed"
  say "installed in $(elapsed) s"
fi
mkdir -p "$PIDS" "$STATE/log" "$STATE/state" "$STATE/spool"

# 2. munge: reuse a working one, else start it as user munge with the package's key.
if ! (munge -n 2>/dev/null | unmunge >/dev/null 2>&1); then
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  chmod 0755 /run/munge
  if [ ! -s /etc/munge/munge.key ]; then
    if command -v mungekey >/dev/null; then mungekey --create --keyfile=/etc/munge/munge.key
    else dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none; fi
    chown munge:munge /etc/munge/munge.key; chmod 0400 /etc/munge/munge.key
  fi
  rm -f /run/munge/munged.pid
  runuser -u munge -- /usr/sbin/munged --force || die "munged did not start (see /var/log/munge/munged.log)"
  for _ in $(seq 50); do [ -s /run/munge/munged.pid ] && break; sleep 0.1; done
  cp /run/munge/munged.pid "$PIDS/munged"
  munge -n | unmunge >/dev/null || die "munge does not work after starting munged"
fi

# 3. The config, from what this node really has.
node=$(node_name)
node_line=$(slurmd -C | head -n 1)
[[ "$node_line" == NodeName=* ]] || die "slurmd -C gave no NodeName line: $node_line"
mkdir -p /etc/slurm
cat > "$CONF" <<CONF
# Written by harness scripts/start-local-slurm.sh: a single-node Slurm on 127.0.0.1.
ClusterName=$CLUSTER
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$STATE/state
SlurmdSpoolDir=$STATE/spool
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/log/slurmctld.log
SlurmdLogFile=$STATE/log/slurmd.log
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
# Without a default, every job takes the node's whole memory and an array runs one task at a time.
DefMemPerCPU=1024
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
# A job whose afterok dependency can never be met is cancelled instead of pending forever.
DependencyParameters=kill_invalid_depend
# Array waves start about 1 s apart instead of 3 s.
SchedulerParameters=batch_sched_delay=0
# No slurmdbd here: finished jobs stay visible to scontrol show job for an hour.
MinJobAge=3600
ReturnToService=2
SlurmdTimeout=60
$node_line NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=local Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF

# State written under another ClusterName makes slurmctld exit ("CLUSTER NAME MISMATCH"): wipe it.
if [ -f "$STATE/state/clustername" ] && [ "$(cat "$STATE/state/clustername")" != "$CLUSTER" ]; then
  say "wiping state of cluster $(cat "$STATE/state/clustername")"
  rm -rf "$STATE/state" && mkdir -p "$STATE/state"
fi

# slurmd 22.05 initialises a cgroup plugin even with proctrack/linuxproc.
if [ "$(stat -f -c %T /sys/fs/cgroup 2>/dev/null)" = tmpfs ] && ! mountpoint -q /sys/fs/cgroup/systemd; then
  mkdir -p /sys/fs/cgroup/systemd
  mount -t cgroup -o none,name=systemd cgroup /sys/fs/cgroup/systemd || say "warning: could not mount the systemd cgroup"
fi

# 4. Daemons: slurmctld, then slurmd; each daemonizes and writes its pid file.
rm -f "$STATE/slurmctld.pid" "$STATE/slurmd.pid"
slurmctld || die "slurmctld did not start; see $STATE/log/slurmctld.log"
for _ in $(seq 100); do [ -s "$STATE/slurmctld.pid" ] && break; sleep 0.1; done
cp "$STATE/slurmctld.pid" "$PIDS/slurmctld" 2>/dev/null || die "slurmctld wrote no pid file; see $STATE/log/slurmctld.log"
for _ in $(seq 100); do timeout 5 scontrol ping >/dev/null 2>&1 && break; sleep 0.2; done
timeout 5 scontrol ping >/dev/null 2>&1 || die "slurmctld does not answer; tail of its log:
$(tail -n 20 "$STATE/log/slurmctld.log" 2>/dev/null)"

slurmd || die "slurmd did not start; see $STATE/log/slurmd.log"
for _ in $(seq 100); do [ -s "$STATE/slurmd.pid" ] && break; sleep 0.1; done
cp "$STATE/slurmd.pid" "$PIDS/slurmd" 2>/dev/null || die "slurmd wrote no pid file; see $STATE/log/slurmd.log"

# 5. Wait for the node: idle in slurmctld's view AND slurmd really alive (sinfo alone can be stale).
for i in $(seq 300); do
  recorded_alive slurmd || die "slurmd died; tail of its log:
$(tail -n 20 "$STATE/log/slurmd.log" 2>/dev/null)"
  node_ready && break
  # A node left DOWN by an earlier state file comes back on request.
  [ $((i % 25)) -eq 0 ] && scontrol update NodeName="$node" State=RESUME >/dev/null 2>&1 || true
  sleep 0.2
done
node_ready || die "node $node did not become idle in 60 s: $(scontrol show node "$node" 2>&1 | grep -E 'State|Reason')"

say "up in $(elapsed) s: cluster $CLUSTER, node $node, partition local, max array size $(scontrol show config | awk '/^MaxArraySize/ {print $3}'); pids in $PIDS"

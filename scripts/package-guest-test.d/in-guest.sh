#!/usr/bin/env bash
# The part of scripts/package-guest-test that runs inside the OpenZFS guest, as root, fed on
# stdin over ssh; expects /root/zrepl.deb and POOL_DISKS (two disks for pools). See that script.
set -euo pipefail
fail() {
  echo "in-guest: FAIL: $*" >&2
  echo "--- systemctl status zrepl" >&2; systemctl status --no-pager zrepl >&2 || true
  echo "--- journal of zrepl.service (last 60 lines)" >&2
  journalctl -u zrepl --since "${since:-today}" --no-pager -n 60 >&2 || true
  exit 1
}
step() { printf '\n== in-guest: %s\n' "$*"; }
# waits up to $1 seconds for the command in the other arguments to succeed
wait_for() {
  local t=$1; shift
  for _ in $(seq 1 "$((t * 2))"); do "$@" && return 0; sleep 0.5; done
  return 1
}
src=zpkgsrc
dst=zpkgdst
cleanup() {
  systemctl stop zrepl >/dev/null 2>&1 || true
  zpool destroy -f "$src" >/dev/null 2>&1 || true
  zpool destroy -f "$dst" >/dev/null 2>&1 || true
  if dpkg -s zrepl >/dev/null 2>&1; then dpkg -P zrepl >/dev/null 2>&1 || true; fi
  rm -f /root/zrepl.deb
}
trap cleanup EXIT

[ "$(ps -p 1 -o comm=)" = systemd ] || fail "PID 1 is not systemd"
if dpkg -s zrepl >/dev/null 2>&1; then fail "a zrepl package is already installed"; fi
[ -e /etc/zrepl ] && fail "/etc/zrepl exists already"

step "dpkg -i (no network here: the guest's JRE must satisfy Depends)"
dpkg -i /root/zrepl.deb || fail "dpkg -i failed"
systemctl cat zrepl.service >/dev/null || fail "systemd does not know zrepl.service after dpkg -i"
[ "$(systemctl is-enabled zrepl 2>/dev/null || true)" = disabled ] \
  || fail "zrepl.service is $(systemctl is-enabled zrepl 2>&1), want disabled (the package enables nothing)"
[ -s /var/cache/zrepl/zrepl.jsa ] || fail "postinst made no class-data-sharing archive"
zrepl version | head -1

step "pools $src and $dst on the guest's disks"
read -r disk1 disk2 _ <<<"$POOL_DISKS"
[ -n "$disk2" ] || fail "POOL_DISKS must name two disks, got '$POOL_DISKS'"
for d in "$disk1" "$disk2"; do
  if zpool status -P 2>/dev/null | grep -q "$(readlink -f "$d")\|$d"; then fail "$d belongs to an imported pool"; fi
done
zpool create -f -m /"$src" "$src" "$disk1"
zpool create -f -m /"$dst" "$dst" "$disk2"
zfs create "$src/snaponly"
zfs create -p "$src/data/a"
zfs create "$dst/sink"
head -c 4M /dev/urandom >"/$src/data/a/blob"

# A snap job, and a push job that replicates over tcp on loopback to a sink job of the same
# daemon; both snapshot only on January 1st, so each snapshot here comes from `zrepl signal`.
# Every side keeps one snapshot per filesystem: the second round's pruning destroys the first
# round's snapshots on the snap job's filesystem, the sender and the receiver.
# No control sockpath: the default /var/run/zrepl/control is the unit's RuntimeDirectory.
cat >/etc/zrepl/zrepl.yml <<YML
jobs:
  - name: pkgsnap
    type: snap
    filesystems:
      "$src/snaponly": true
    snapshotting:
      type: cron
      prefix: zrepl_
      cron: "0 0 1 1 *"
    pruning:
      keep:
        - type: last_n
          count: 1
  - name: pkgsink
    type: sink
    root_fs: "$dst/sink"
    serve:
      type: tcp
      listen: "127.0.0.1:8888"
      clients:
        "127.0.0.1": "guest"
    recv:
      placeholder:
        encryption: inherit
  - name: pkgpush
    type: push
    connect:
      type: tcp
      address: "127.0.0.1:8888"
    filesystems:
      "$src/data<": true
    snapshotting:
      type: cron
      prefix: zrepl_
      cron: "0 0 1 1 *"
    pruning:
      keep_sender:
        - type: not_replicated
        - type: last_n
          count: 1
      keep_receiver:
        - type: last_n
          count: 1
YML
zrepl configcheck || fail "configcheck refuses the test config"

step "systemctl start zrepl"
since=$(date '+%Y-%m-%d %H:%M:%S')
t0=$(date +%s%N)
systemctl start zrepl || fail "systemctl start zrepl failed"
wait_for 240 test -S /run/zrepl/control || fail "no control socket /run/zrepl/control after 240 s"
echo "control socket after $(( ($(date +%s%N) - t0) / 1000000 )) ms (ExecStartPre configcheck + daemon start, TCG)"
[ "$(stat -c %a /run/zrepl)" = 700 ] || fail "/run/zrepl is $(stat -c %a /run/zrepl), want 700"
systemctl is-active zrepl >/dev/null || fail "zrepl.service is not active"

snaps() { zfs list -H -t snapshot -o name -r "$1" 2>/dev/null | grep -c '@zrepl_' || true; }
snapnames() { zfs list -H -t snapshot -o name -r "$1" 2>/dev/null | grep '@zrepl_' | sort; }
guids() { zfs list -H -p -t snapshot -o guid -r "$1" 2>/dev/null | sort; }
[ "$(snaps "$src")" -eq 0 ] || fail "snapshots before any signal"

step "zrepl signal snapshot (snap job, then push job)"
zrepl signal snapshot pkgsnap || fail "signal snapshot pkgsnap"
wait_for 60 test "$(snaps "$src/snaponly")" -ge 1 || fail "the snap job took no snapshot"
zrepl signal snapshot pkgpush || fail "signal snapshot pkgpush"
wait_for 60 test "$(snaps "$src/data")" -ge 2 || fail "the push job snapshotted fewer than 2 filesystems"
# received below $dst/sink/<client>/<path>
replicated() { [ -n "$(guids "$src/data")" ] && [ "$(guids "$src/data")" = "$(guids "$dst/sink")" ]; }
wait_for 240 replicated || fail "the sink's snapshot guids differ from the sender's:
sender:   $(guids "$src/data" | tr '\n' ' ')
receiver: $(guids "$dst/sink" | tr '\n' ' ')"
zfs list -o name,mounted,mountpoint -r "$dst/sink"
zfs list -H -t bookmark -o name -r "$src/data" | grep -q '#zrepl_CURSOR_G_' \
  || fail "no replication cursor bookmark on the sender"
zfs list -H -t snapshot -o name -r "$dst/sink" | xargs -r zfs holds -H | grep -q zrepl_last_received_J_ \
  || fail "no last-received hold on the receiver"
echo "round 1 replicated: $(guids "$src/data" | wc -l) snapshots, guids equal"

# The daemon receives with -u and never mounts (docs/operations.md, "The systemd unit"): a mount
# made inside the unit's mount namespace would not be seen by the host and would keep the dataset
# busy. The operator mounts a replica on the host (read-only), as to read a backup; the next round receives
# into the mounted replica from inside the sandbox, and its data must show through that mount.
replica=$dst/sink/guest/$src/data/a
[ "$(zfs get -H -o value mounted "$replica")" = no ] || fail "the daemon mounted the replica $replica"
# read-only, as a backup is read: a read-write mount whose reads update atime would modify the
# replica, and the next incremental receive would refuse it ("modified since most recent snapshot")
zfs mount -o ro "$replica" || fail "cannot mount the replica $replica on the host"
replica_dir=$(zfs get -H -o value mountpoint "$replica")
cmp "/$src/data/a/blob" "$replica_dir/blob" || fail "round 1: the replica's data differs"
echo "replica $replica mounted on the host at $replica_dir: round 1 data equal"

step "second round: incremental into the mounted replica, then pruning that destroys"
round1_src=$(snapnames "$src"); round1_dst=$(snapnames "$dst/sink")
head -c 1M /dev/urandom >>"/$src/data/a/blob"
sleep 1 # snapshot names carry seconds
zrepl signal snapshot pkgsnap || fail "signal snapshot pkgsnap (2)"
zrepl signal snapshot pkgpush || fail "signal snapshot pkgpush (2)"
# replicated and pruned: one snapshot per filesystem on each side, none of round 1's, guids equal
pruned() {
  [ "$(snaps "$src/snaponly")" -eq 1 ] && [ "$(snaps "$src/data")" -eq 2 ] \
    && [ "$(snaps "$dst/sink")" -eq 2 ] && replicated \
    && [ -z "$(comm -12 <(echo "$round1_src") <(snapnames "$src"))" ] \
    && [ -z "$(comm -12 <(echo "$round1_dst") <(snapnames "$dst/sink"))" ]
}
wait_for 240 pruned || fail "second round: not replicated and pruned to one snapshot per filesystem
sender:   $(snapnames "$src" | tr '\n' ' ')
receiver: $(snapnames "$dst/sink" | tr '\n' ' ')
round 1:  $(echo "$round1_src" | tr '\n' ' ')"
echo "round 2 replicated and pruned: destroyed under the sandbox: $(echo "$round1_src" "$round1_dst" | wc -w) snapshots of round 1"
echo "left: $(snapnames "$src" | tr '\n' ' ')$(snapnames "$dst/sink" | tr '\n' ' ')"
[ "$(zfs get -H -o value mounted "$replica")" = yes ] || fail "the replica is no longer mounted on the host after round 2"
cmp "/$src/data/a/blob" "$replica_dir/blob" || fail "round 2: the mounted replica does not show the received data"
echo "round 2 data visible through the host's mount of the replica"
pid=$(systemctl show -p MainPID --value zrepl)
[ "$pid" -gt 0 ] || fail "no MainPID for zrepl.service"
# the mount points of zfs mounts in a mountinfo file (the type follows the "-" separator)
zfs_mounts() { awk '{for (i = 7; i < NF; i++) if ($i == "-") { if ($(i + 1) == "zfs") print $5; break }}' "$1" | sort -u; }
own_mounts=$(comm -13 <(zfs_mounts /proc/1/mountinfo) <(zfs_mounts "/proc/$pid/mountinfo"))
[ -z "$own_mounts" ] || fail "the daemon's mount namespace has zfs mounts the host does not see: $own_mounts"
zfs_mounts "/proc/$pid/mountinfo" | grep -qx "$replica_dir" \
  || fail "the host's mount of the replica did not reach the daemon's namespace"
echo "no zfs mount of the daemon's own (its namespace: $(zfs_mounts "/proc/$pid/mountinfo" | wc -l) zfs mounts, all the host's, the replica's included)"

step "systemctl reload zrepl (SIGHUP reloads the config)"
systemctl reload zrepl || fail "systemctl reload failed"
sleep 5
systemctl is-active zrepl >/dev/null || fail "zrepl.service not active after reload"
zrepl status --mode dump 2>&1 | head -30 || fail "zrepl status after reload"

step "journal: no sandbox denials"
journal=$(journalctl -u zrepl --since "$since" --no-pager -o cat)
echo "$journal" | tail -n 25
if echo "$journal" | grep -i -E 'operation not permitted|permission denied|EPERM|EACCES|read-only file system|seccomp|denied'; then
  fail "the unit's journal shows a denial (lines above)"
fi
if journalctl -k --since "$since" --no-pager -o cat | grep -i -E 'audit.*(seccomp|denied)|apparmor="DENIED"'; then
  fail "the kernel log shows a denial (lines above)"
fi

step "systemd-analyze security zrepl.service (live)"
systemd-analyze security --no-pager zrepl.service | tail -n 1

step "systemctl stop zrepl"
t0=$(date +%s%N)
systemctl stop zrepl || fail "systemctl stop failed"
echo "stopped after $(( ($(date +%s%N) - t0) / 1000000 )) ms"
show=$(systemctl show -p Result -p ExecMainCode -p ExecMainStatus zrepl | sort | tr '\n' ' ')
echo "$show"
# systemd counts a death by SIGTERM as success too: the status must be 0 (a JVM killed by the
# signal shows ExecMainStatus=15 and "code=killed" in the journal). ExecMainCode reads 0 once the
# unit is inactive (seen with systemd 252), so it is not checked.
case "$show" in
  *"ExecMainStatus=0 Result=success "*) ;;
  *) fail "the daemon did not exit cleanly: $show" ;;
esac
if journalctl -u zrepl --since "$since" --no-pager -o cat | grep -E 'code=killed|status=143'; then
  fail "the daemon was killed rather than exiting (journal lines above)"
fi

cmp "/$src/data/a/blob" "$replica_dir/blob" || fail "after stop: the replica's data differs"
echo "replica $replica: data equal to the sender's"

step "dpkg -r keeps the configuration, dpkg -P leaves nothing"
dpkg -r zrepl </dev/null || fail "dpkg -r failed"
[ ! -e /usr/bin/zrepl ] || fail "/usr/bin/zrepl still there after dpkg -r"
[ -f /etc/zrepl/zrepl.yml ] || fail "dpkg -r removed /etc/zrepl/zrepl.yml"
[ ! -e /var/cache/zrepl ] || fail "dpkg -r left /var/cache/zrepl"
[ ! -e /lib/systemd/system/zrepl.service ] || fail "dpkg -r left the unit"
dpkg -P zrepl </dev/null || fail "dpkg -P failed"
for p in /etc/zrepl /var/cache/zrepl /run/zrepl /var/run/zrepl /usr/share/zrepl /usr/share/doc/zrepl; do
  [ ! -e "$p" ] || fail "dpkg -P left $p"
done
systemctl cat zrepl.service >/dev/null 2>&1 && fail "systemd still knows zrepl.service after dpkg -P"
echo "in-guest: OK"

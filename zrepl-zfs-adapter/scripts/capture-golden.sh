#!/bin/bash
# Captures the real output of every command CliZfs runs (plus probe and error texts) into
# src/test/resources/golden/<flavour>/<case>.{cmd,out,err,exit}.
#
#   capture-golden.sh <flavour> <pool-vdev> <mountpoint> [runner...]
#
# The runner is prepended to `bash -c <command>`-style execution: empty means local bash, e.g.
#   capture-golden.sh zfs-fuse /tmp/zrepl-test-zgold.img /tmp/zgold-mnt
#   capture-golden.sh openzfs-2.1 /dev/vdb /zgold ssh -F "$OPENZFS_VM_SSH_CONFIG" openzfs-vm
# It creates the pool `zgold` on <pool-vdev> and destroys it at the end.
set -u
flavour=$1; vdev=$2; mnt=$3; shift 3
runner=("$@")
here=$(cd "$(dirname "$0")/.." && pwd)
out="$here/src/test/resources/golden/$flavour"
mkdir -p "$out"
P=zgold

run() { # run <shell command>
  if [ ${#runner[@]} -eq 0 ]; then bash -c "$1"; else "${runner[@]}" "$1"; fi
}
cap() { # cap <case> <shell command>
  local name=$1 cmd=$2
  printf '%s\n' "$cmd" >"$out/$name.cmd"
  run "$cmd" >"$out/$name.out" 2>"$out/$name.err"
  echo $? >"$out/$name.exit"
  echo "$name: exit $(cat "$out/$name.exit")"
}
quiet() { run "$1" >/dev/null 2>&1 || echo "setup step failed (ok on some flavours): $1"; }

quiet "zpool destroy -f $P"
run "zpool create -f -m $mnt $P $vdev" || exit 1

# --- probe
cap probe-version "zfs version"
cap probe-usage "zfs '-?'"
cap probe-zpool-upgrade "zpool upgrade -v"
cap probe-holds "zfs holds -H zrepl-probe-nonexistent@x"

# --- fixture
quiet "zfs create $P/src"
quiet "zfs create -p $P/src/child/grandchild"
quiet "zfs create -o zrepl:placeholder=on $P/other"
quiet "zfs snapshot $P/src@s1"
quiet "dd if=/dev/urandom of=$mnt/src/f1 bs=64k count=4 2>/dev/null; sync"
quiet "zfs snapshot $P/src@s2"
quiet "zfs snapshot $P/src/child@s1"
cap bookmark "zfs bookmark $P/src@s1 $P/src#b1"
cap err-bookmark-exists "zfs bookmark $P/src@s1 $P/src#b1"
cap err-bookmark-missing-snapshot "zfs bookmark $P/src@nosuch $P/src#b2"
cap snapshot-multi "zfs snapshot $P/src@m1 $P/other@m1"
cap hold "zfs hold zrepl_a $P/src@s1"
quiet "zfs hold zrepl_b $P/src@s1"

# --- listings
cap list-datasets "zfs get -Hp -r -t filesystem,volume -o name,property,value,source type,zrepl:placeholder,mountpoint $P"
cap list-datasets-no-t "zfs get -Hp -r -o name,property,value,source type,zrepl:placeholder,mountpoint $P"
cap list-datasets-roots "zfs get -Hp -r -o name,property,value,source type,zrepl:placeholder $P/src/child $P/other $P/src"
cap list-versions "zfs get -Hp -d 1 -t snapshot,bookmark -o name,property,value guid,createtxg,creation $P/src $P/src/child $P/other"
cap list-versions-no-t "zfs get -Hp -d 1 -o name,property,value guid,createtxg,creation $P/src $P/src/child $P/other"
cap list-versions-missing "zfs get -Hp -d 1 -o name,property,value guid,createtxg,creation $P/src $P/missing"
cap get-props "zfs get -Hp -o name,property,value,source type,creation,compression,zrepl:placeholder,zrepl:unset $P/other"
cap get-props-snapshot "zfs get -Hp -o name,property,value,source type,guid,userrefs $P/src@s1"
cap holds "zfs holds -H $P/src@s1"
cap holds-none "zfs holds -H $P/src@s2"

# --- errors
cap err-get-missing "zfs get -Hp -o name,property,value,source type $P/missing"
cap err-get-bad-property "zfs get -Hp -o name,property,value,source bogusprop $P"
cap err-create-exists "zfs create $P/src"
cap err-create-no-parent "zfs create $P/nope/x"
cap err-snapshot-exists "zfs snapshot $P/src@s1"
cap err-snapshot-missing-fs "zfs snapshot $P/missing@s1"
cap err-destroy-missing-fs "zfs destroy $P/missing"
cap err-destroy-missing-snapshot "zfs destroy $P/src@nosuch"
cap err-destroy-batch "zfs destroy $P/src@m1,nosuch"
cap err-destroy-held "zfs destroy $P/src@s1"
cap err-destroy-children "zfs destroy $P/src"
cap err-destroy-missing-bookmark "zfs destroy $P/src#nosuch"
cap err-hold-twice "zfs hold zrepl_a $P/src@s1"
cap err-hold-missing "zfs hold zrepl_a $P/src@nosuch"
cap err-release-not-held "zfs release zrepl_x $P/src@s1"
cap err-rollback-later "zfs rollback $P/src@s1"
cap err-rollback-missing "zfs rollback $P/src@nosuch"
cap err-send-missing "zfs send $P/src@nosuch"
cap err-send-missing-from "zfs send -i @nosuch $P/src@s2"
cap err-set-bad-value "zfs set compression=bogus $P/src"
cap err-inherit-missing "zfs inherit zrepl:placeholder $P/missing"
cap err-unsupported-recv-s "zfs send $P/src@s1 2>/dev/null | zfs recv -s -u $P/unsup"
cap err-unsupported-recv-o "zfs send $P/src@s1 2>/dev/null | zfs recv -o compression=on -u $P/unsup"
cap err-unsupported-send-t "zfs send -t 1-abc-def"
cap err-recv-garbage "echo this-is-not-a-zfs-stream | zfs recv -u $P/garbage"

# --- send / receive
cap recv-full "zfs send $P/src@s1 | zfs recv -u $P/dst"
cap err-recv-exists "zfs send $P/src@s1 2>/dev/null | zfs recv -u $P/dst"
quiet "zfs snapshot $P/src@s3"
cap err-recv-incremental-mismatch "zfs send -i @s2 $P/src@s3 2>/dev/null | zfs recv -u $P/dst"
# zfs-fuse quirk: exits 0 and may receive into another filesystem whose newest snapshot matches
cap recv-incremental-missing-target "zfs send -i @s2 $P/src@s3 2>/dev/null | zfs recv -u $P/missingbase"
quiet "zfs snapshot $P/dst@newer"
# zfs-fuse quirk: accepts this (exit 0) although dst has a snapshot newer than @s1
cap err-recv-newer-snapshot "zfs send -i @s1 $P/src@s2 2>/dev/null | zfs recv -u $P/dst"
quiet "zfs destroy $P/dst@newer"
quiet "zfs mount $P/dst; echo x > $mnt/dst/modified; sync"
latest="\$(zfs list -H -d 1 -t snapshot -o name -s createtxg $P/dst | tail -1 | sed 's/.*@/@/')"
cap err-recv-modified "zfs send -i $latest $P/src@s3 2>/dev/null | zfs recv -u $P/dst"
cap recv-incremental-forced "zfs send -i $latest $P/src@s3 | zfs recv -F -u $P/dst"
cap list-versions-dst "zfs get -Hp -d 1 -o name,property,value guid,createtxg,creation $P/src $P/dst"
cap send-estimate "zfs send -nvP -i @s1 $P/src@s2"
cap send-estimate-bookmark "zfs send -nvP -i $P/src#b1 $P/src@s2"
cap err-recv-truncated "zfs send $P/src@s2 | head -c 100000 | zfs recv -s -u $P/partial"
cap get-resume-token "zfs get -Hp -o name,property,value,source receive_resume_token $P/partial"
cap err-recv-partial-exists "zfs send $P/src@s2 2>/dev/null | zfs recv -s -u $P/partial"
cap send-resume-estimate "zfs send -nvP -t \$(zfs get -H -o value receive_resume_token $P/partial)"
cap recv-abort "zfs recv -A $P/partial"
quiet "zfs send $P/src@s2 | head -c 100000 | zfs recv -s -u $P/partial2"
cap recv-resume "zfs send -t \$(zfs get -H -o value receive_resume_token $P/partial2) | zfs recv -s -u $P/partial2"
cap list-versions-resumed "zfs get -Hp -d 1 -t snapshot -o name,property,value guid $P/src $P/partial2"
cap err-recv-abort-nothing "zfs recv -A $P/dst"
cap recv-o-x "zfs send -p $P/src@s1 | zfs recv -u -o compression=on -x zrepl:placeholder $P/withprops"

quiet "zpool destroy -f $P"

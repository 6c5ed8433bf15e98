zfs send -i $(zfs list -H -d 1 -t snapshot -o name -s createtxg zgold/dst | tail -1 | sed 's/.*@/@/') zgold/src@s3 2>/dev/null | zfs recv -u zgold/dst

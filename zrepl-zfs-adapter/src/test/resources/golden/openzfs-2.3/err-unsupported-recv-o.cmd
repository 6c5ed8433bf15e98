zfs send zgold/src@s1 2>/dev/null | zfs recv -o compression=on -u zgold/unsup

zfs send zgold/src@s2 2>/dev/null | zfs recv -s -u zgold/partial

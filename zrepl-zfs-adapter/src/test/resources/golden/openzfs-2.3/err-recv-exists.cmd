zfs send zgold/src@s1 2>/dev/null | zfs recv -u zgold/dst

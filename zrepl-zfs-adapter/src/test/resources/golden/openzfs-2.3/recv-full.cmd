zfs send zgold/src@s1 | zfs recv -u zgold/dst

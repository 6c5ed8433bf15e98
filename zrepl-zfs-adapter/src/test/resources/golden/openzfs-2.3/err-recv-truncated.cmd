zfs send zgold/src@s2 | head -c 100000 | zfs recv -s -u zgold/partial

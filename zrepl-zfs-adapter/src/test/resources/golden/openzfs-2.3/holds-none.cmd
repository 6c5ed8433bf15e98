zfs holds -H zgold/src@s2

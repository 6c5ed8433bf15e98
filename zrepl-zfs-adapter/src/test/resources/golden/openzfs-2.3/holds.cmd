zfs holds -H zgold/src@s1

zfs destroy zgold/src@s1

zfs snapshot zgold/src@s1

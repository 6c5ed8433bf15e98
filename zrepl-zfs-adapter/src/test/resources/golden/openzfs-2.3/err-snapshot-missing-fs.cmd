zfs snapshot zgold/missing@s1

zfs bookmark zgold/src@s1 zgold/src#b1

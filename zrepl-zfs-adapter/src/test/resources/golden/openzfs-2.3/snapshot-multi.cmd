zfs snapshot zgold/src@m1 zgold/other@m1

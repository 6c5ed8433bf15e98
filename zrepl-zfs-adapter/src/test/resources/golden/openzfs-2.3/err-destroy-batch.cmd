zfs destroy zgold/src@m1,nosuch

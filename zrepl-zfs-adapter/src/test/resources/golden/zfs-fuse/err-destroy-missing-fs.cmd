zfs destroy zgold/missing

zfs destroy zgold/src

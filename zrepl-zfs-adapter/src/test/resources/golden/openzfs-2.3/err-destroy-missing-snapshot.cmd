zfs destroy zgold/src@nosuch

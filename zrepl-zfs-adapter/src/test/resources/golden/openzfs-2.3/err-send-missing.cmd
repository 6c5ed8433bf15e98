zfs send zgold/src@nosuch

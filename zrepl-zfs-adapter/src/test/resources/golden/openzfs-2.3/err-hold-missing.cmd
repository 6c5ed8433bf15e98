zfs hold zrepl_a zgold/src@nosuch

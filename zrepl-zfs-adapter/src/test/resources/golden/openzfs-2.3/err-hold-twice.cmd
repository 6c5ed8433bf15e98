zfs hold zrepl_a zgold/src@s1

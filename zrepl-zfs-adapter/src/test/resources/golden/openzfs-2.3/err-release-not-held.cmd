zfs release zrepl_x zgold/src@s1

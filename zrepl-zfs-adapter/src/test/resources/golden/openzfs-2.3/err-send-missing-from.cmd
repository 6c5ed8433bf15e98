zfs send -i @nosuch zgold/src@s2

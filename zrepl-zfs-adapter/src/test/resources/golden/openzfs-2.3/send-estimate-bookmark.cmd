zfs send -nvP -i zgold/src#b1 zgold/src@s2

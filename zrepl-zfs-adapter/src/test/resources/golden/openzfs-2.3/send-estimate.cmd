zfs send -nvP -i @s1 zgold/src@s2

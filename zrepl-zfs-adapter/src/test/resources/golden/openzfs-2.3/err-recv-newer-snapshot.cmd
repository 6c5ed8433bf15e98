zfs send -i @s1 zgold/src@s2 2>/dev/null | zfs recv -u zgold/dst

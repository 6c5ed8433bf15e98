zfs send -i @s2 zgold/src@s3 2>/dev/null | zfs recv -u zgold/missingbase

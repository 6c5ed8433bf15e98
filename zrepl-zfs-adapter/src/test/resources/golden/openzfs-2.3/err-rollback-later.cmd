zfs rollback zgold/src@s1

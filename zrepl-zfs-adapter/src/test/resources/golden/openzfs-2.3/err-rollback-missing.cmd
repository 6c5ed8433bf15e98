zfs rollback zgold/src@nosuch

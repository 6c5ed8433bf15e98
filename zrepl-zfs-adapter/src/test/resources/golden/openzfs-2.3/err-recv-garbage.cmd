echo this-is-not-a-zfs-stream | zfs recv -u zgold/garbage

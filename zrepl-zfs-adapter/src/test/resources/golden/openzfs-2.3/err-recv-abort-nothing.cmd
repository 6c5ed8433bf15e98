zfs recv -A zgold/dst

zfs recv -A zgold/partial

zfs create zgold/nope/x

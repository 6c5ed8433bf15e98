zfs create zgold/src

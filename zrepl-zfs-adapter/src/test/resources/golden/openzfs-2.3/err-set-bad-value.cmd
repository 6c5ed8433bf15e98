zfs set compression=bogus zgold/src

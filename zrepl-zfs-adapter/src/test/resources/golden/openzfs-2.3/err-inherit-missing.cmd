zfs inherit zrepl:placeholder zgold/missing

zfs holds -H zrepl-probe-nonexistent@x

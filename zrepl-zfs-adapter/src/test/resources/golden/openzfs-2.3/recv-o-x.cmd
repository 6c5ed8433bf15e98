zfs send -p zgold/src@s1 | zfs recv -u -o compression=on -x zrepl:placeholder zgold/withprops

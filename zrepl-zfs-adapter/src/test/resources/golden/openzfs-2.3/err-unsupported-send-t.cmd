zfs send -t 1-abc-def

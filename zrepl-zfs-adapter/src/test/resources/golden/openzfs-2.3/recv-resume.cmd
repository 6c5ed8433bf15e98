zfs send -t $(zfs get -H -o value receive_resume_token zgold/partial2) | zfs recv -s -u zgold/partial2

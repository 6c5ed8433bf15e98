zfs send -nvP -t $(zfs get -H -o value receive_resume_token zgold/partial)

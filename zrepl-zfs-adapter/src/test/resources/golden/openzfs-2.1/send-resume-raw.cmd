zfs send -nvt $(zfs get -H -o value receive_resume_token t/r/e)   # partial receive of a raw (-w) send of an encrypted filesystem

zpool upgrade -v

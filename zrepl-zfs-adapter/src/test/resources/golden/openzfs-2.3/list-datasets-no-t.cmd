zfs get -Hp -r -o name,property,value,source type,zrepl:placeholder,mountpoint zgold

zfs get -Hp -r -t filesystem,volume -o name,property,value,source type,zrepl:placeholder,mountpoint zgold

zfs get -Hp -o name,property,value,source type,creation,compression,zrepl:placeholder,zrepl:unset zgold/other

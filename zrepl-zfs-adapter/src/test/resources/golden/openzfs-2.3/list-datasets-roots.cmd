zfs get -Hp -r -o name,property,value,source type,zrepl:placeholder zgold/src/child zgold/other zgold/src

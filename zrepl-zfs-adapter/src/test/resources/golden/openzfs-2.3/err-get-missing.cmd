zfs get -Hp -o name,property,value,source type zgold/missing

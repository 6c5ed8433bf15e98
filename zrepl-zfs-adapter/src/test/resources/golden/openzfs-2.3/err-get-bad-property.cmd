zfs get -Hp -o name,property,value,source bogusprop zgold

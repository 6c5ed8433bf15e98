zfs get -Hp -d 1 -o name,property,value guid,createtxg,creation zgold/src zgold/missing

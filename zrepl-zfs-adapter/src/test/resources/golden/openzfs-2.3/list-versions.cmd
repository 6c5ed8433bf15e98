zfs get -Hp -d 1 -t snapshot,bookmark -o name,property,value guid,createtxg,creation zgold/src zgold/src/child zgold/other

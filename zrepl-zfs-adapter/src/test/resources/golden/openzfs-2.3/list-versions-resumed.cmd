zfs get -Hp -d 1 -t snapshot -o name,property,value guid zgold/src zgold/partial2

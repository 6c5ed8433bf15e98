zfs get -Hp -o name,property,value,source type,guid,userrefs zgold/src@s1

zfs get -Hp -o name,property,value,source receive_resume_token zgold/partial

zfs bookmark zgold/src@nosuch zgold/src#b2

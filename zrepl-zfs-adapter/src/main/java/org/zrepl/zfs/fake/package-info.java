/**
 * {@link org.zrepl.zfs.fake.InMemoryZfs}: an honest in-memory fake of the {@link
 * org.zrepl.port.zfs.Zfs} port for tests. It throws the same exception types as the real adapter,
 * with the command line the real adapter would have run, and copies real ZFS quirks on purpose
 * (each marked with a comment). Nothing here starts processes or touches the file system.
 */
package org.zrepl.zfs.fake;

/**
 * Offline inspection use cases behind {@code zrepl test ...}: how a job's filter or mapping decides
 * for datasets, and which datasets are placeholders. They read ZFS through the {@link
 * org.zrepl.port.zfs.Zfs} port only, change nothing, and print nothing (the CLI formats results).
 */
package org.zrepl.app.inspect;

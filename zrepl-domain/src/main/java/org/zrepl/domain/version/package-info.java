/** Snapshots and bookmarks as values: name, kind, guid, createtxg, creation. Pure, no I/O. */
package org.zrepl.domain.version;

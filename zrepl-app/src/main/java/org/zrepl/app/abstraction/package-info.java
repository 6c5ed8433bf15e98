/**
 * The holds, bookmarks and cursor entries zrepl leaves on a pool ("abstractions", zrepl's word):
 * finding them by name, deciding which are stale, and releasing them ({@code zrepl
 * zfs-abstraction}, and the daemon after each confirmed step). Talks to ZFS through the {@code Zfs}
 * port only. Depends on no other app package, so that the endpoints can call it.
 */
package org.zrepl.app.abstraction;

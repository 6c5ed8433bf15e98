package org.zrepl.port.zfs;

import java.util.Map;
import java.util.Set;

/**
 * Options of {@code zfs recv}.
 *
 * @param force {@code -F}: roll back the target to its newest snapshot first (destroys changes)
 * @param unmounted {@code -u}: do not mount the received filesystem
 * @param resumable {@code -s}: keep partial state if the stream is cut
 * @param setProperties {@code -o name=value}
 * @param excludeProperties {@code -x name}
 */
public record ReceiveOptions(
    boolean force,
    boolean unmounted,
    boolean resumable,
    Map<String, String> setProperties,
    Set<String> excludeProperties) {

  public ReceiveOptions {
    setProperties = Map.copyOf(setProperties);
    excludeProperties = Set.copyOf(excludeProperties);
  }

  /** {@code zfs recv -u}: what zrepl uses unless configured otherwise. */
  public static ReceiveOptions defaults() {
    return new ReceiveOptions(false, true, false, Map.of(), Set.of());
  }

  public ReceiveOptions withForce(boolean f) {
    return new ReceiveOptions(f, unmounted, resumable, setProperties, excludeProperties);
  }

  public ReceiveOptions withResumable(boolean r) {
    return new ReceiveOptions(force, unmounted, r, setProperties, excludeProperties);
  }
}

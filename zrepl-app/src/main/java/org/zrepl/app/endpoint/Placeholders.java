package org.zrepl.app.endpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.endpoint.ReceiveRefusedException;
import org.zrepl.port.zfs.DatasetExistsException;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.port.zfs.ZfsException;

/**
 * Placeholder filesystems on the receiver: parents created only so that a child can be received
 * below them. Like zrepl they carry {@code zrepl:placeholder=on} as a local property; unlike zrepl
 * (which sets {@code mountpoint=none}, inherited by the children) they get {@code canmount=off},
 * which keeps them unmounted without changing where their children mount.
 */
final class Placeholders {

  static final Map<String, String> PROPERTIES =
      Map.of(EndpointNames.PLACEHOLDER_PROPERTY, EndpointNames.PLACEHOLDER_ON, "canmount", "off");

  private Placeholders() {}

  /**
   * Creates the missing ancestors of {@code target} (below its pool) as placeholders, top-down.
   * Looks upwards from the parent, so an existing parent costs one {@code zfs get} (none where the
   * job's listing knows it, also when this invocation received it).
   *
   * @param encryption {@code recv.placeholder.encryption}; {@code UNSPECIFIED} refuses every
   *     placeholder but {@code clientRoot}, which then inherits (zrepl 0.7)
   * @param clientRoot a sink's {@code root_fs/<client identity>}, if this receiver has one
   * @throws ReceiveRefusedException for a placeholder whose encryption is unspecified
   */
  static void createMissingAncestors(
      Zfs zfs,
      DatasetPath target,
      PlaceholderEncryption encryption,
      Optional<DatasetPath> clientRoot) {
    List<DatasetPath> missing = new ArrayList<>();
    for (DatasetPath p = target; !p.isRoot(); ) {
      p = p.parent();
      if (exists(zfs, p)) {
        break;
      }
      missing.add(0, p);
    }
    for (DatasetPath p : missing) {
      Map<String, String> props = properties(zfs, p, encryption, clientRoot);
      try {
        zfs.createFilesystem(p, props, false);
      } catch (DatasetExistsException e) {
        // created meanwhile (by a concurrent step of a sibling): fine, it is a parent either way
      } catch (ZfsException e) {
        throw ZfsFailures.of("creating placeholder", p, e);
      }
    }
  }

  /**
   * The properties of placeholder {@code p}. {@code encryption=off} is given only where the ZFS has
   * native encryption: elsewhere every filesystem is unencrypted and the option is unknown.
   */
  private static Map<String, String> properties(
      Zfs zfs, DatasetPath p, PlaceholderEncryption encryption, Optional<DatasetPath> clientRoot) {
    PlaceholderEncryption e =
        encryption == PlaceholderEncryption.UNSPECIFIED && clientRoot.equals(Optional.of(p))
            ? PlaceholderEncryption.INHERIT
            : encryption;
    switch (e) {
      case UNSPECIFIED:
        throw new ReceiveRefusedException(
            "cannot create placeholder filesystem "
                + p
                + ": placeholder filesystem encryption handling is unspecified in receiver config;"
                + " set recv.placeholder.encryption to inherit (placeholders inherit the parent's"
                + " encryption) or off (placeholders are unencrypted)",
            null);
      case OFF:
        if (zfs.capabilities().rawSend()) {
          Map<String, String> m = new TreeMap<>(PROPERTIES);
          m.put("encryption", "off");
          return m;
        }
        return PROPERTIES;
      case INHERIT:
      default:
        return PROPERTIES;
    }
  }

  static boolean exists(Zfs zfs, DatasetPath p) {
    try {
      return zfs.exists(p);
    } catch (ZfsException e) {
      throw ZfsFailures.of("looking up", p, e);
    }
  }

  /** After the filesystem's own data arrived: it is a placeholder no more. */
  static void promote(Zfs zfs, DatasetPath target) {
    try {
      zfs.inheritProperty(target, EndpointNames.PLACEHOLDER_PROPERTY);
      zfs.setProperty(target, "canmount", "on");
    } catch (ZfsException e) {
      throw ZfsFailures.of("turning placeholder into a replica:", target, e);
    }
  }
}

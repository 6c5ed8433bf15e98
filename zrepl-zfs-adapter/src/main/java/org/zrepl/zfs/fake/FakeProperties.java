package org.zrepl.zfs.fake;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.Property;
import org.zrepl.port.zfs.Property.Source;
import org.zrepl.port.zfs.ZfsException;
import org.zrepl.zfs.fake.FakeModel.Bookmark;
import org.zrepl.zfs.fake.FakeModel.Dataset;
import org.zrepl.zfs.fake.FakeModel.Snapshot;

/**
 * Property lookup as {@code zfs get -Hp} reports it. User properties (a name with a colon) and a
 * few native ones are modelled; asking for an unknown native property fails like ZFS does.
 */
final class FakeProperties {

  /** Settable native properties that children inherit, with their defaults. */
  private static final Map<String, String> INHERITABLE =
      Map.of(
          "readonly", "off",
          "compression", "off",
          "atime", "on",
          "sharenfs", "off",
          "sharesmb", "off");

  /** Settable native properties that are not inherited. */
  private static final Map<String, String> NOT_INHERITABLE = Map.of("canmount", "on");

  /** Read-only native properties. */
  private static final Set<String> READ_ONLY =
      Set.of(
          "name",
          "type",
          "guid",
          "createtxg",
          "creation",
          "userrefs",
          "mounted",
          "referenced",
          "receive_resume_token");

  /**
   * Native encryption's properties: known only where the ZFS has native encryption (zfs-fuse
   * answers "invalid property" like for any unknown name). {@code encryption}, {@code keyformat}
   * and {@code keylocation} can only be given at creation.
   */
  static final Set<String> ENCRYPTION =
      Set.of("encryption", "keystatus", "keyformat", "keylocation");

  private FakeProperties() {}

  /** As {@link #checkKnown(List, String)}, knowing the encryption properties where they exist. */
  static void checkKnown(FakeState s, List<String> argv, String name) {
    if (ENCRYPTION.contains(name) && s.caps.rawSend()) {
      return;
    }
    checkKnown(argv, name);
  }

  static boolean isUser(String name) {
    return name.indexOf(':') > 0;
  }

  static boolean isSettable(String name) {
    return isUser(name)
        || INHERITABLE.containsKey(name)
        || NOT_INHERITABLE.containsKey(name)
        || name.equals("mountpoint");
  }

  static void checkKnown(List<String> argv, String name) {
    if (!isSettable(name) && !READ_ONLY.contains(name)) {
      throw new ZfsException(
          argv, FakeState.EXIT_USAGE, "bad property list: invalid property '" + name + "'\n");
    }
  }

  /** The requested properties of a filesystem; unset ones are absent. */
  static Map<String, Property> ofDataset(
      FakeState s, Dataset d, Set<String> names, List<String> argv) {
    Map<String, Property> out = new TreeMap<>();
    for (String n : names) {
      checkKnown(s, argv, n);
      datasetProperty(s, d, n).ifPresent(p -> out.put(n, p));
    }
    return out;
  }

  private static Optional<Property> datasetProperty(FakeState s, Dataset d, String n) {
    Optional<Property> fixed =
        switch (n) {
          case "name" -> Optional.of(none(d.path.toString()));
          case "type" -> Optional.of(none("filesystem"));
          case "guid" -> Optional.of(none(Long.toUnsignedString(d.guid)));
          case "createtxg" -> Optional.of(none(Long.toString(d.createTxg)));
          case "creation" -> Optional.of(none(Long.toString(d.creation.getEpochSecond())));
          case "mounted" -> Optional.of(none(d.mounted ? "yes" : "no"));
          case "referenced" -> Optional.of(none(Long.toString(referenced(d.files))));
          case "receive_resume_token" ->
              d.partial == null
                  ? Optional.empty()
                  : Optional.of(none(FakeResumeToken.of(d.partial).encode()));
          case "mountpoint" -> Optional.of(mountpoint(s, d));
          case "encryption" ->
              Optional.of(
                  new Property(d.encryption, d.isEncrypted() ? Source.NONE : Source.DEFAULT));
          case "keystatus" ->
              d.isEncrypted()
                  ? Optional.of(none(d.keyLoaded ? "available" : "unavailable"))
                  : Optional.empty();
          case "keyformat", "keylocation" -> Optional.empty();
          default -> null;
        };
    if (n.equals("userrefs")) {
      return Optional.empty();
    }
    if (fixed != null) {
      return fixed;
    }
    if (NOT_INHERITABLE.containsKey(n)) {
      return Optional.of(own(d, n).orElse(new Property(NOT_INHERITABLE.get(n), Source.DEFAULT)));
    }
    Optional<Property> own = own(d, n);
    if (own.isPresent()) {
      return own;
    }
    for (DatasetPath p = d.path; !p.isRoot(); ) {
      p = p.parent();
      Dataset ancestor = s.datasets.get(p);
      if (ancestor != null) {
        Optional<Property> a = own(ancestor, n);
        if (a.isPresent()) {
          return Optional.of(new Property(a.get().value(), Source.INHERITED));
        }
      }
    }
    if (INHERITABLE.containsKey(n)) {
      return Optional.of(new Property(INHERITABLE.get(n), Source.DEFAULT));
    }
    return Optional.empty();
  }

  /**
   * The fake's {@code referenced}: the bytes of its files, plus 512 per file for metadata (a real
   * filesystem's is never zero either).
   */
  private static long referenced(Map<String, byte[]> files) {
    long n = 0;
    for (byte[] f : files.values()) {
      n += f.length + 512L;
    }
    return n;
  }

  /** A local value wins over a received one, as in ZFS. */
  private static Optional<Property> own(Dataset d, String n) {
    if (d.localProps.containsKey(n)) {
      return Optional.of(new Property(d.localProps.get(n), Source.LOCAL));
    }
    if (d.receivedProps.containsKey(n)) {
      return Optional.of(new Property(d.receivedProps.get(n), Source.RECEIVED));
    }
    return Optional.empty();
  }

  private static Property mountpoint(FakeState s, Dataset d) {
    Optional<Property> own = own(d, "mountpoint");
    if (own.isPresent()) {
      return own.get();
    }
    String suffix = "";
    for (DatasetPath p = d.path; !p.isRoot(); ) {
      suffix = "/" + p.leaf() + suffix;
      p = p.parent();
      Dataset ancestor = s.datasets.get(p);
      Optional<Property> a = ancestor == null ? Optional.empty() : own(ancestor, "mountpoint");
      if (a.isPresent()) {
        return new Property(a.get().value() + suffix, Source.INHERITED);
      }
    }
    return new Property("/" + d.path, d.path.isRoot() ? Source.DEFAULT : Source.INHERITED);
  }

  /** Properties of a snapshot: its own user properties, else the filesystem's, as inherited. */
  static Map<String, Property> ofSnapshot(
      FakeState s, Dataset d, Snapshot snap, Set<String> names, List<String> argv) {
    Map<String, Property> out = new TreeMap<>();
    for (String n : names) {
      checkKnown(s, argv, n);
      Optional<Property> p =
          switch (n) {
            case "name" -> Optional.of(none(d.path + "@" + snap.name));
            case "type" -> Optional.of(none("snapshot"));
            case "guid" -> Optional.of(none(Long.toUnsignedString(snap.guid)));
            case "createtxg" -> Optional.of(none(Long.toString(snap.createTxg)));
            case "creation" -> Optional.of(none(Long.toString(snap.creation.getEpochSecond())));
            case "userrefs" -> Optional.of(none(Integer.toString(snap.holds.size())));
            case "referenced" -> Optional.of(none(Long.toString(referenced(snap.files))));
            case "mounted", "mountpoint", "receive_resume_token", "canmount" -> Optional.empty();
            case "encryption", "keystatus" -> datasetProperty(s, d, n);
            default -> snapshotInherited(s, d, snap, n);
          };
      p.ifPresent(v -> out.put(n, v));
    }
    return out;
  }

  private static Optional<Property> snapshotInherited(
      FakeState s, Dataset d, Snapshot snap, String n) {
    if (snap.localProps.containsKey(n)) {
      return Optional.of(new Property(snap.localProps.get(n), Source.LOCAL));
    }
    return datasetProperty(s, d, n)
        .map(p -> p.source() == Source.DEFAULT ? p : new Property(p.value(), Source.INHERITED));
  }

  static Map<String, Property> ofBookmark(
      Dataset d, Bookmark b, Set<String> names, List<String> argv) {
    Map<String, Property> out = new TreeMap<>();
    for (String n : names) {
      checkKnown(argv, n);
      Optional<Property> p =
          switch (n) {
            case "name" -> Optional.of(none(d.path + "#" + b.name()));
            case "type" -> Optional.of(none("bookmark"));
            case "guid" -> Optional.of(none(Long.toUnsignedString(b.guid())));
            case "createtxg" -> Optional.of(none(Long.toString(b.createTxg())));
            case "creation" -> Optional.of(none(Long.toString(b.creation().getEpochSecond())));
            default -> Optional.empty();
          };
      p.ifPresent(v -> out.put(n, v));
    }
    return out;
  }

  static void set(Dataset d, String name, String value, List<String> argv) {
    if (READ_ONLY.contains(name)) {
      throw FakeState.failed(
          argv, "cannot set property for '" + d.path + "': '" + name + "' is readonly");
    }
    checkKnown(argv, name);
    if (isUser(name) && value.length() > 8191) {
      throw FakeState.failed(
          argv, "cannot set property for '" + d.path + "': property value too long");
    }
    d.localProps.put(name, value);
  }

  /**
   * {@code zfs inherit}: forgets the local value. Without {@code -S} ZFS also hides a received
   * value, so the fake forgets that too.
   */
  static void inherit(Dataset d, String name, List<String> argv) {
    checkKnown(argv, name);
    if (READ_ONLY.contains(name) || NOT_INHERITABLE.containsKey(name)) {
      throw FakeState.failed(argv, "'" + name + "' property cannot be inherited\n");
    }
    d.localProps.remove(name);
    d.receivedProps.remove(name);
  }

  private static Property none(String value) {
    return new Property(value, Source.NONE);
  }
}

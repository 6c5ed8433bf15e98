package org.zrepl.app.endpoint;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.Step;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.FilesystemNotFoundException;
import org.zrepl.port.endpoint.Guarantee;
import org.zrepl.port.endpoint.ReceiveRefusedException;
import org.zrepl.port.endpoint.ReceiveStepRequest;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.ReceiverFilesystem;
import org.zrepl.port.endpoint.VersionMismatchException;
import org.zrepl.port.zfs.DatasetInfo;
import org.zrepl.port.zfs.DatasetNotFoundException;
import org.zrepl.port.zfs.DatasetType;
import org.zrepl.port.zfs.Property;
import org.zrepl.port.zfs.ReceiveOptions;
import org.zrepl.port.zfs.VersionListing;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.port.zfs.ZfsException;

/**
 * A {@link Receiver} over the local {@link Zfs}. Maps sender filesystems with a {@link
 * ReceiverMapping}, creates missing parents as {@linkplain Placeholders placeholders}, receives
 * with {@code -u} (and {@code -s} where resumable receive exists), checks each received snapshot's
 * guid and keeps the last-received hold on the newest received snapshot where holds exist.
 */
public final class LocalReceiver implements Receiver {

  static final String RESUME_TOKEN = "receive_resume_token";

  /**
   * Properties a sender's stream ({@code send -p}/{@code -b}) may carry whose received values would
   * reach outside the receiver's tree: a {@code mountpoint} mounts the replica anywhere on this
   * host at the next {@code zfs mount -a}, {@code sharenfs}/{@code sharesmb} export it. They are
   * never taken from the stream: {@code -x} where {@code zfs recv} has it, else the received value
   * is masked with {@code zfs inherit} right after the (unmounted, {@code -u}) receive.
   */
  public static final Set<String> CONFINED_PROPERTIES =
      Set.of("mountpoint", "sharenfs", "sharesmb");

  /** The only {@code mountpoint} values an operator's override may give every replica. */
  public static final Set<String> SAFE_MOUNTPOINT_OVERRIDES = Set.of("none", "legacy");

  /**
   * How long a question about a target (its resume token, a new receive into it) waits for the
   * receive running into it to end: a cut stream's {@code zfs recv} winds down on this side after
   * the client saw the cut.
   */
  static final Duration IN_FLIGHT_PATIENCE = Duration.ofMinutes(2);

  private final Zfs zfs;
  private final ReceiverMapping mapping;
  private final EndpointNames names;
  private final Map<String, String> setProperties;
  private final Set<String> excludeProperties;
  private final ZfsCapabilities caps;
  private final Set<String> maskedAfterReceive;
  private final PlaceholderEncryption placeholderEncryption;
  private final Optional<DatasetPath> clientRoot;
  private volatile Protection protection = Protection.defaults();
  private final ReceivesInFlight inFlight = new ReceivesInFlight(IN_FLIGHT_PATIENCE);

  /**
   * @param setProperties {@code zfs recv -o} overrides; need {@code receivePropertyOverrides}
   * @param excludeProperties {@code zfs recv -x} exclusions; likewise
   * @param placeholderEncryption {@code recv.placeholder.encryption}
   * @param clientRoot a sink's {@code root_fs/<client identity>}: the one placeholder that {@code
   *     unspecified} creates (inheriting)
   * @throws IllegalArgumentException if overrides are given but the ZFS cannot apply them
   */
  public LocalReceiver(
      Zfs zfs,
      ReceiverMapping mapping,
      String job,
      Map<String, String> setProperties,
      Set<String> excludeProperties,
      PlaceholderEncryption placeholderEncryption,
      Optional<DatasetPath> clientRoot) {
    this.placeholderEncryption =
        Objects.requireNonNull(placeholderEncryption, "placeholderEncryption");
    this.clientRoot = Objects.requireNonNull(clientRoot, "clientRoot");
    this.zfs = Objects.requireNonNull(zfs, "zfs");
    this.mapping = Objects.requireNonNull(mapping, "mapping");
    this.names = EndpointNames.forJob(job);
    this.setProperties = Map.copyOf(setProperties);
    this.caps = zfs.capabilities();
    String mountpoint = setProperties.get("mountpoint");
    if (mountpoint != null && !SAFE_MOUNTPOINT_OVERRIDES.contains(mountpoint)) {
      throw new IllegalArgumentException(
          "receive property override mountpoint="
              + mountpoint
              + " would mount every received filesystem at one path outside the receiver's"
              + " tree; use none or legacy, or leave it inherited from the receiver's root");
    }
    Set<String> confined = new TreeSet<>(CONFINED_PROPERTIES);
    confined.removeAll(setProperties.keySet());
    Set<String> exclude = new TreeSet<>(excludeProperties);
    if (caps.receivePropertyOverrides()) {
      exclude.addAll(confined);
      this.maskedAfterReceive = Set.of();
    } else {
      this.maskedAfterReceive = Set.copyOf(confined);
    }
    this.excludeProperties = Set.copyOf(exclude);
    if (!caps.receivePropertyOverrides()
        && !(setProperties.isEmpty() && excludeProperties.isEmpty())) {
      throw new IllegalArgumentException(
          "receive property overrides "
              + setProperties
              + " and exclusions "
              + new TreeSet<>(excludeProperties)
              + " need zfs recv -o/-x, which "
              + caps.flavour()
              + " does not have");
    }
  }

  /** A receiver whose placeholders inherit their parent's encryption ({@code inherit}). */
  public LocalReceiver(
      Zfs zfs,
      ReceiverMapping mapping,
      String job,
      Map<String, String> setProperties,
      Set<String> excludeProperties) {
    this(
        zfs,
        mapping,
        job,
        setProperties,
        excludeProperties,
        PlaceholderEncryption.INHERIT,
        Optional.empty());
  }

  /** A receiver without property options whose placeholders inherit encryption. */
  public LocalReceiver(Zfs zfs, ReceiverMapping mapping, String job) {
    this(zfs, mapping, job, Map.of(), Set.of());
  }

  /**
   * Sets {@code replication.protection} of the job that drives this receiver: under {@code
   * guarantee_nothing} no last-received hold is kept (zrepl's {@code ReceiverPostRecv}). Call
   * before the receiver is used.
   */
  public LocalReceiver protectedBy(Protection p) {
    this.protection = Objects.requireNonNull(p, "protection");
    return this;
  }

  @Override
  public Set<Guarantee> guarantees() {
    Set<Guarantee> g = EnumSet.noneOf(Guarantee.class);
    if (caps.resumableReceive()) {
      g.add(Guarantee.RESUMABILITY);
    }
    if (caps.holds()) {
      g.add(Guarantee.RECEIVER_STEP_HOLDS);
      g.add(Guarantee.LAST_RECEIVED_HOLD);
    }
    return g;
  }

  DatasetPath target(DatasetPath senderFs) {
    return mapping
        .map(senderFs)
        .orElseThrow(
            () ->
                new FilesystemNotFoundException(
                    senderFs, "receiver does not accept " + senderFs + ": no mapping", null));
  }

  private Set<String> stateProperties() {
    return caps.resumableReceive()
        ? Set.of(EndpointNames.PLACEHOLDER_PROPERTY, RESUME_TOKEN)
        : Set.of(EndpointNames.PLACEHOLDER_PROPERTY);
  }

  @Override
  public Map<DatasetPath, ReceiverFilesystem> listFilesystems(
      Collection<DatasetPath> senderFilesystems) {
    Map<DatasetPath, DatasetPath> targets = new LinkedHashMap<>();
    senderFilesystems.forEach(s -> targets.put(s, target(s)));
    Map<DatasetPath, DatasetInfo> found = new LinkedHashMap<>();
    if (!targets.isEmpty()) {
      for (DatasetInfo d : listCovering(targets.values())) {
        found.put(d.path(), d);
      }
    }
    Map<DatasetPath, ReceiverFilesystem> out = new LinkedHashMap<>();
    targets.forEach((s, t) -> out.put(s, state(s, t, Optional.ofNullable(found.get(t)))));
    return out;
  }

  /**
   * At most this many missing topmost targets are asked one by one whether they exist; with more,
   * their pools are listed instead.
   */
  private static final int EXISTS_CHECKS = 16;

  /**
   * One listing of the topmost targets; if one of them is missing (nothing lies below it), one
   * listing of those that exist, not of their pools (a pool can hold thousands of others), unless
   * there are more than {@value #EXISTS_CHECKS} of them.
   */
  private List<DatasetInfo> listCovering(Collection<DatasetPath> targets) {
    // linear in the number of targets (times their depth): a client may name thousands
    Set<DatasetPath> all = new HashSet<>(targets);
    Set<DatasetPath> roots = new TreeSet<>();
    for (DatasetPath t : all) {
      boolean covered = false;
      for (DatasetPath p = t; !p.isRoot() && !covered; ) {
        p = p.parent();
        covered = all.contains(p);
      }
      if (!covered) {
        roots.add(t);
      }
    }
    try {
      return zfs.listDatasets(roots, stateProperties());
    } catch (DatasetNotFoundException e) {
      if (roots.size() > EXISTS_CHECKS) {
        return listPools(roots);
      }
      Set<DatasetPath> present = new TreeSet<>();
      DatasetPath asking = roots.iterator().next();
      try {
        for (DatasetPath r : roots) {
          asking = r;
          if (zfs.exists(r)) {
            present.add(r);
          }
        }
        return present.isEmpty() ? List.of() : zfs.listDatasets(present, stateProperties());
      } catch (ZfsException e2) {
        throw ZfsFailures.of("listing", asking, e2);
      }
    } catch (ZfsException e) {
      throw ZfsFailures.of("listing", roots.iterator().next(), e);
    }
  }

  private List<DatasetInfo> listPools(Set<DatasetPath> roots) {
    Set<DatasetPath> pools = new TreeSet<>();
    roots.forEach(r -> pools.add(DatasetPath.of(r.pool())));
    try {
      return zfs.listDatasets(pools, stateProperties());
    } catch (ZfsException e) {
      throw ZfsFailures.of("listing", pools.iterator().next(), e);
    }
  }

  private static ReceiverFilesystem state(
      DatasetPath senderFs, DatasetPath target, Optional<DatasetInfo> info) {
    if (info.isEmpty()) {
      return ReceiverFilesystem.missing(senderFs, target);
    }
    return new ReceiverFilesystem(
        senderFs, target, true, LocalSender.isPlaceholder(info.get()), token(info.get()));
  }

  private static Optional<String> token(DatasetInfo d) {
    return d.property(RESUME_TOKEN)
        .map(Property::value)
        .filter(v -> !v.isBlank() && !v.equals("-"));
  }

  /** The state of one target, or a missing one: one {@code zfs get}, not a recursive listing. */
  private ReceiverFilesystem inspect(DatasetPath senderFs, DatasetPath target) {
    Map<String, Property> props;
    try {
      props = zfs.getProperties(target.toString(), stateProperties());
    } catch (DatasetNotFoundException e) {
      return ReceiverFilesystem.missing(senderFs, target);
    } catch (ZfsException e) {
      throw ZfsFailures.of("looking up", target, e);
    }
    DatasetInfo info = new DatasetInfo(target, DatasetType.FILESYSTEM, props);
    return state(senderFs, target, Optional.of(info));
  }

  @Override
  public Map<DatasetPath, List<FilesystemVersion>> listVersions(
      Collection<DatasetPath> senderFilesystems) {
    Map<DatasetPath, DatasetPath> bySender = new LinkedHashMap<>();
    senderFilesystems.forEach(s -> bySender.put(s, target(s)));
    if (bySender.isEmpty()) {
      return Map.of();
    }
    Map<DatasetPath, List<FilesystemVersion>> byTarget;
    try {
      byTarget = zfs.listVersions(bySender.values());
    } catch (DatasetNotFoundException e) {
      throw new FilesystemNotFoundException(
          bySender.keySet().iterator().next(), "listing versions: " + e.getMessage(), e);
    } catch (ZfsException e) {
      throw ZfsFailures.of("listing versions of", bySender.values().iterator().next(), e);
    }
    Map<DatasetPath, List<FilesystemVersion>> out = new LinkedHashMap<>();
    bySender.forEach((s, t) -> out.put(s, byTarget.getOrDefault(t, List.of())));
    return out;
  }

  @Override
  public Optional<String> resumeToken(DatasetPath senderFilesystem) {
    DatasetPath target = target(senderFilesystem); // a name it cannot map is refused, not "none"
    if (!caps.resumableReceive()) {
      return Optional.empty();
    }
    inFlight.awaitNone(target, "tell its resume token");
    return inspect(senderFilesystem, target).resumeToken();
  }

  @Override
  public void receive(ReceiveStepRequest request, InputStream stream) {
    DatasetPath target = target(request.filesystem());
    ReceivesInFlight.Entry running = inFlight.start(target);
    try {
      receive(request, stream, target);
    } finally {
      running.close();
    }
  }

  private void receive(ReceiveStepRequest request, InputStream stream, DatasetPath target) {
    Step step = request.step();
    ReceiverFilesystem state = inspect(request.filesystem(), target);
    if (request.clearResumeState() && state.resumeToken().isPresent()) {
      try {
        zfs.abortResumableReceive(target);
      } catch (ZfsException e) {
        throw ZfsFailures.of("discarding the partial receive of", target, e);
      }
      state = inspect(request.filesystem(), target);
    }
    List<FilesystemVersion> before = state.exists() ? versions(target) : List.of();
    boolean force = false;
    if (!state.exists()) {
      Placeholders.createMissingAncestors(zfs, target, placeholderEncryption, clientRoot);
    } else if (step.isFull() && !request.resumed() && state.placeholder() && before.isEmpty()) {
      force = replacePlaceholder(target);
    }
    Optional<FilesystemVersion> base =
        request.resumed()
            ? ReceivedVersions.resumedBase(step, before)
            : ReceivedVersions.base(target, step, before);
    String stepHold = names.stepHold();
    base.ifPresent(b -> holdIfSupported(target, b.name(), stepHold));
    ReceiveOptions options =
        new ReceiveOptions(force, true, caps.resumableReceive(), setProperties, excludeProperties);
    try {
      zfs.receive(target, stream, options);
    } catch (ZfsException e) {
      if (force) {
        throw new ReceiveRefusedException(
            "cannot turn placeholder "
                + target
                + " (which has children) into a replica: zfs recv -F over it failed on "
                + caps.flavour()
                + "; move its children away, destroy it and run again: "
                + e.getMessage(),
            e);
      }
      throw ZfsFailures.ofReceive(target, e);
    } finally {
      base.ifPresent(b -> releaseIfSupported(target, b.name(), stepHold));
    }
    List<FilesystemVersion> after = maskedVersions(target);
    FilesystemVersion received =
        request.resumed()
            ? ReceivedVersions.newestSnapshot(target, after)
            : ReceivedVersions.verify(target, step, after);
    if (force) {
      Placeholders.promote(zfs, target);
    }
    moveLastReceivedHold(
        target, received, before, base, protection.of(state.exists()) != Protection.Kind.NOTHING);
    OwnStaleAbstractions.release(zfs, caps, target, names.job());
  }

  /**
   * The target's versions right after a receive, in one listing that also reads the confined
   * properties where {@code zfs recv -x} is missing (zfs-fuse): a confined property that came with
   * the stream is masked ({@code zfs inherit}) before the versions are checked and before anything
   * mounts the replica ({@code -u} kept it unmounted).
   */
  private List<FilesystemVersion> maskedVersions(DatasetPath target) {
    VersionListing listed;
    try {
      listed = zfs.listVersions(List.of(target), maskedAfterReceive).get(target);
    } catch (ZfsException e) {
      throw ZfsFailures.of(
          maskedAfterReceive.isEmpty()
              ? "listing versions of"
              : "listing versions and the received "
                  + new TreeSet<>(maskedAfterReceive)
                  + " (sender-chosen, to mask) of",
          target,
          e);
    }
    maskReceivedProperties(target, listed.properties());
    return listed.versions();
  }

  private void maskReceivedProperties(DatasetPath target, Map<String, Property> props) {
    if (maskedAfterReceive.isEmpty()) {
      return;
    }
    try {
      for (Map.Entry<String, Property> e : new TreeMap<>(props).entrySet()) {
        if (e.getValue().source() == Property.Source.RECEIVED) {
          zfs.inheritProperty(target, e.getKey());
        }
      }
    } catch (ZfsException e) {
      throw ZfsFailures.of(
          "masking the received " + maskedAfterReceive + " (sender-chosen) of", target, e);
    }
  }

  /**
   * A placeholder with no snapshots gets its own data: without children it is simply destroyed and
   * received anew (works everywhere); with children only {@code zfs recv -F} can replace it.
   */
  private boolean replacePlaceholder(DatasetPath target) {
    try {
      boolean hasChildren = zfs.listDatasets(List.of(target), Set.of()).size() > 1;
      if (hasChildren) {
        return true;
      }
      zfs.destroyDataset(target, false);
      return false;
    } catch (ZfsException e) {
      throw ZfsFailures.of("replacing placeholder", target, e);
    }
  }

  private List<FilesystemVersion> versions(DatasetPath target) {
    try {
      return zfs.listVersions(target);
    } catch (ZfsException e) {
      throw ZfsFailures.of("listing versions of", target, e);
    }
  }

  private void moveLastReceivedHold(
      DatasetPath target,
      FilesystemVersion received,
      List<FilesystemVersion> before,
      Optional<FilesystemVersion> base,
      boolean keepHold) {
    if (!caps.holds()) {
      return;
    }
    String tag = names.lastReceivedHold();
    if (keepHold) {
      HoldTags.holdIfNotHeld(zfs, target, received.name(), tag);
    }
    Set<String> previous = new HashSet<>();
    base.ifPresent(b -> previous.add(b.name()));
    before.stream()
        .filter(FilesystemVersion::isSnapshot)
        .reduce((a, b) -> b)
        .ifPresent(v -> previous.add(v.name()));
    if (keepHold) {
      previous.remove(received.name());
    }
    for (String p : previous) {
      HoldTags.releaseIfHeld(zfs, target, p, tag);
    }
  }

  private void holdIfSupported(DatasetPath fs, String snapshot, String tag) {
    if (caps.holds()) {
      HoldTags.holdIfNotHeld(zfs, fs, snapshot, tag);
    }
  }

  private void releaseIfSupported(DatasetPath fs, String snapshot, String tag) {
    if (caps.holds()) {
      HoldTags.releaseIfHeld(zfs, fs, snapshot, tag);
    }
  }

  @Override
  public void destroySnapshots(DatasetPath senderFilesystem, List<FilesystemVersion> snapshots) {
    DatasetPath target = target(senderFilesystem);
    List<FilesystemVersion> now = versions(target);
    List<String> doomed = new ArrayList<>();
    for (FilesystemVersion s : snapshots) {
      boolean present =
          now.stream()
              .anyMatch(v -> v.isSnapshot() && v.name().equals(s.name()) && v.guid() == s.guid());
      if (!present) {
        throw new VersionMismatchException(
            "receiver " + target + " has no " + s.relativeName() + " with guid " + s.guidString());
      }
      doomed.add(s.name());
    }
    if (doomed.isEmpty()) {
      return;
    }
    for (String d : doomed) {
      releaseIfSupported(target, d, names.lastReceivedHold());
      releaseIfSupported(target, d, names.stepHold());
    }
    try {
      zfs.destroySnapshots(target, doomed);
    } catch (ZfsException e) {
      throw ZfsFailures.of("destroying snapshots " + doomed + " of", target, e);
    }
  }

  @Override
  public void rollback(
      DatasetPath senderFilesystem, FilesystemVersion to, List<FilesystemVersion> destroyed) {
    DatasetPath target = target(senderFilesystem);
    List<FilesystemVersion> now =
        versions(target).stream().filter(FilesystemVersion::isSnapshot).toList();
    FilesystemVersion base =
        now.stream()
            .filter(v -> v.name().equals(to.name()) && v.guid() == to.guid())
            .findFirst()
            .orElseThrow(
                () ->
                    new VersionMismatchException(
                        "receiver "
                            + target
                            + " has no "
                            + to.relativeName()
                            + " to roll back to"));
    List<FilesystemVersion> later =
        now.stream().filter(v -> v.createTxg() > base.createTxg()).toList();
    if (!sameSnapshots(later, destroyed)) {
      throw new VersionMismatchException(
          "rolling "
              + target
              + " back to "
              + to.relativeName()
              + " would destroy "
              + later
              + ", not the planned "
              + destroyed);
    }
    for (FilesystemVersion d : later) {
      releaseIfSupported(target, d.name(), names.lastReceivedHold());
    }
    try {
      zfs.rollback(target, base.name(), true);
    } catch (ZfsException e) {
      throw ZfsFailures.of("rolling back to " + to.relativeName(), target, e);
    }
  }

  private static boolean sameSnapshots(List<FilesystemVersion> a, List<FilesystemVersion> b) {
    return a.size() == b.size()
        && a.stream().allMatch(x -> b.stream().anyMatch(y -> y.guid() == x.guid()));
  }

  @Override
  public String toString() {
    return "LocalReceiver[" + names.job() + "]";
  }
}

package org.zrepl.app.endpoint;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.Step;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.endpoint.EndpointException;
import org.zrepl.port.endpoint.FilesystemNotFoundException;
import org.zrepl.port.endpoint.Guarantee;
import org.zrepl.port.endpoint.SendCompletedRequest;
import org.zrepl.port.endpoint.SendRefusedException;
import org.zrepl.port.endpoint.SendStepRequest;
import org.zrepl.port.endpoint.SendStepResponse;
import org.zrepl.port.endpoint.SendStepResponse.Encryption;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.endpoint.SenderFilesystem;
import org.zrepl.port.endpoint.SnapshotsKeptException;
import org.zrepl.port.endpoint.VersionMismatchException;
import org.zrepl.port.zfs.DatasetExistsException;
import org.zrepl.port.zfs.DatasetInfo;
import org.zrepl.port.zfs.DatasetNotFoundException;
import org.zrepl.port.zfs.Property;
import org.zrepl.port.zfs.ResumeTokenContents;
import org.zrepl.port.zfs.SendFlag;
import org.zrepl.port.zfs.SendRequest;
import org.zrepl.port.zfs.SendStream;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.port.zfs.ZfsException;

/**
 * A {@link Sender} over the local {@link Zfs}, serving the filesystems a {@link DatasetFilter}
 * selects. Where the ZFS has holds, a step's snapshots carry the step hold from {@link #send} until
 * {@link #sendCompleted}; where it has bookmarks, {@link #sendCompleted} moves the replication
 * cursor.
 *
 * <p>Like zrepl, it checks each filesystem's {@code encryption} property before anything is sent:
 * with {@code send.encrypted} a filesystem that is not encrypted is refused (so plaintext never
 * leaves), and with {@code send.raw} but not {@code send.encrypted} an encrypted one is refused
 * (raw and unencrypted is a contradiction). Without either, an encrypted filesystem is sent as
 * plaintext ({@code zfs send} without {@code -w}), which needs its key loaded.
 */
public final class LocalSender implements Sender {

  /** The ZFS property telling whether a filesystem is natively encrypted ({@code off} if not). */
  static final String ENCRYPTION = "encryption";

  private final Zfs zfs;
  private final DatasetFilter filter;
  private final EndpointNames names;
  private final String job;
  private final Set<SendFlag> flags;
  private final ZfsCapabilities caps;
  private final boolean encryptedOnly;
  private final Protection protection;

  /** See {@link #recordCursorsPerRun()}. */
  private volatile boolean cursorsPerRun;

  /**
   * Per filesystem, the newest snapshot a step replicated since the last {@link #recordCursors}.
   */
  private final Map<DatasetPath, FilesystemVersion> pendingCursors = new LinkedHashMap<>();

  /**
   * @param zfs the local ZFS
   * @param filter which filesystems this sender serves
   * @param job the job's name, part of cursor and hold names
   * @param flags {@code zfs send} flags from the job's {@code send:} settings
   * @param encryptedOnly {@code send.encrypted}: send only encrypted filesystems, raw ({@code
   *     flags} must then contain {@link SendFlag#RAW})
   * @throws IllegalArgumentException if {@code encryptedOnly} but the ZFS has no native encryption
   *     (every filesystem would be refused), or {@code flags} lacks {@code RAW}
   */
  public LocalSender(
      Zfs zfs, DatasetFilter filter, String job, Set<SendFlag> flags, boolean encryptedOnly) {
    this(zfs, filter, job, flags, encryptedOnly, Protection.defaults());
  }

  /**
   * As above, with {@code replication.protection} of the job that drives this sender (see {@link
   * Protection}).
   */
  public LocalSender(
      Zfs zfs,
      DatasetFilter filter,
      String job,
      Set<SendFlag> flags,
      boolean encryptedOnly,
      Protection protection) {
    this.protection = Objects.requireNonNull(protection, "protection");
    this.zfs = Objects.requireNonNull(zfs, "zfs");
    this.filter = Objects.requireNonNull(filter, "filter");
    this.names = EndpointNames.forJob(job);
    this.job = job;
    this.flags = Set.copyOf(flags);
    this.caps = zfs.capabilities();
    this.encryptedOnly = encryptedOnly;
    if (encryptedOnly && !flags.contains(SendFlag.RAW)) {
      throw new IllegalArgumentException(
          "encrypted sends are raw sends: flags lack " + SendFlag.RAW);
    }
    if (encryptedOnly && !caps.rawSend()) {
      throw new IllegalArgumentException(
          "send.encrypted: true sends only natively encrypted filesystems (zfs send -w), but "
              + caps.flavour()
              + " has no native encryption, so every filesystem would be refused; set"
              + " send.encrypted: false (plaintext sends) or run on OpenZFS with encrypted"
              + " filesystems");
    }
  }

  /** A sender without {@code send.encrypted}. */
  public LocalSender(Zfs zfs, DatasetFilter filter, String job, Set<SendFlag> flags) {
    this(zfs, filter, job, flags, false);
  }

  /**
   * On a ZFS without bookmarks, makes {@link #sendCompleted} remember the new cursor in memory
   * instead of writing {@code zrepl:cursors} at once; {@link #recordCursors} writes them all, in
   * one {@code zfs set} per distinct value (usually one per run instead of one per filesystem). For
   * a sender whose job calls {@link #recordCursors} when each replication run ends, before pruning
   * (a {@code local} or {@code push} job); not for one that serves pullers over the network. Until
   * then the previous cursor stays recorded, which the target still has: pruning keeps more, never
   * a target's only base. {@link #destroySnapshots} records them first.
   *
   * @return this sender
   */
  public LocalSender recordCursorsPerRun() {
    this.cursorsPerRun = true;
    return this;
  }

  /**
   * Writes the cursors {@link #sendCompleted} remembered since the last call (see {@link
   * #recordCursorsPerRun()}); nothing if none.
   *
   * @throws EndpointException naming each filesystem whose cursor could not be written, and why
   */
  public void recordCursors() {
    Map<DatasetPath, FilesystemVersion> batch;
    synchronized (pendingCursors) {
      batch = new LinkedHashMap<>(pendingCursors);
      pendingCursors.clear();
    }
    TargetCursors.recordAll(zfs, names.job(), batch);
  }

  @Override
  public Set<Guarantee> guarantees() {
    Set<Guarantee> g = EnumSet.noneOf(Guarantee.class);
    if (caps.resumableReceive()) {
      g.add(Guarantee.RESUMABILITY);
    }
    if (caps.bookmarks()) {
      g.add(Guarantee.REPLICATION_CURSOR);
    }
    if (caps.holds()) {
      g.add(Guarantee.SENDER_STEP_HOLDS);
    }
    return g;
  }

  @Override
  public List<SenderFilesystem> listFilesystems() {
    List<DatasetInfo> all;
    try {
      all = listReach(Set.of(EndpointNames.PLACEHOLDER_PROPERTY));
    } catch (ZfsException e) {
      throw ZfsFailures.of("listing filesystems for", DatasetPath.of("all"), e);
    }
    Map<DatasetPath, DatasetInfo> byPath = new LinkedHashMap<>();
    all.forEach(d -> byPath.put(d.path(), d));
    List<SenderFilesystem> out = new ArrayList<>();
    for (DatasetPath p : UnmatchedFilterRules.select(filter, byPath.keySet(), job)) {
      out.add(new SenderFilesystem(p, isPlaceholder(byPath.get(p))));
    }
    return out;
  }

  /**
   * The datasets at and below the topmost ones the filter names (every pool for the bare {@code
   * <}), not the whole machine: nothing the filter includes or names lies elsewhere. A named root
   * that does not exist has nothing below it; the others are listed.
   */
  private List<DatasetInfo> listReach(Set<String> properties) {
    Optional<Set<DatasetPath>> reach = filter.reach();
    if (reach.isEmpty()) {
      return zfs.listDatasets(List.of(), properties);
    }
    try {
      return zfs.listDatasets(reach.get(), properties);
    } catch (DatasetNotFoundException e) {
      List<DatasetPath> present = reach.get().stream().filter(zfs::exists).toList();
      return present.isEmpty() ? List.of() : zfs.listDatasets(present, properties);
    }
  }

  static boolean isPlaceholder(DatasetInfo d) {
    Optional<Property> p = d.property(EndpointNames.PLACEHOLDER_PROPERTY);
    return p.isPresent()
        && p.get().source() == Property.Source.LOCAL
        && p.get().value().equals(EndpointNames.PLACEHOLDER_ON);
  }

  @Override
  public Map<DatasetPath, List<FilesystemVersion>> listVersions(
      Collection<DatasetPath> filesystems) {
    filesystems.forEach(this::checkServed);
    if (filesystems.isEmpty()) {
      return Map.of();
    }
    try {
      return zfs.listVersions(filesystems);
    } catch (ZfsException e) {
      throw ZfsFailures.of("listing versions of", filesystems.iterator().next(), e);
    }
  }

  private void checkServed(DatasetPath fs) {
    if (!filter.matches(fs)) {
      throw new FilesystemNotFoundException(
          fs, "filesystem " + fs + " is not served by this sender (" + filter + ")", null);
    }
  }

  @Override
  public SendStepResponse send(SendStepRequest request) {
    DatasetPath fs = request.filesystem();
    checkServed(fs);
    Step step = request.step();
    checkEncryption(fs);
    checkVersions(fs, step);
    request.resumeToken().ifPresent(t -> checkResumeToken(fs, t));
    protect(fs, step);
    SendStream stream;
    try {
      stream = zfs.send(toZfs(request));
    } catch (ZfsException e) {
      if (!request.isResume()) {
        releaseStep(fs, step);
      }
      throw ZfsFailures.ofSend(fs, e);
    }
    return new SendStepResponse(
        new SenderStream(fs, stream),
        request.isResume(),
        request.isResume() ? OptionalLong.empty() : estimateSize(request),
        // checkEncryption let only encrypted filesystems through with send.encrypted, and sends
        // them raw; without it the stream is plaintext (raw of an encrypted one was refused)
        encryptedOnly ? Encryption.ENCRYPTED : Encryption.PLAIN);
  }

  /**
   * zrepl's send policy check, before anything is held or sent: {@code send.encrypted} refuses a
   * filesystem that is not encrypted; {@code send.raw} alone refuses one that is.
   */
  private void checkEncryption(DatasetPath fs) {
    boolean raw = flags.contains(SendFlag.RAW);
    if (!encryptedOnly && !raw) {
      return;
    }
    boolean encrypted = isEncrypted(fs);
    if (encryptedOnly && !encrypted) {
      throw new SendRefusedException(
          "refusing to send "
              + fs
              + ": send.encrypted is true (encrypted sends only), but the filesystem is not"
              + " encrypted (encryption=off); nothing was sent",
          null);
    }
    if (!encryptedOnly && encrypted) {
      throw new SendRefusedException(
          "refusing to send "
              + fs
              + ": send.raw is true without send.encrypted (raw and unencrypted), but the"
              + " filesystem is encrypted; set send.encrypted: true to send it raw",
          null);
    }
  }

  /** Whether {@code fs} is natively encrypted; never on a ZFS without native encryption. */
  private boolean isEncrypted(DatasetPath fs) {
    if (!caps.rawSend()) {
      return false;
    }
    Property p;
    try {
      p = zfs.getProperties(fs.toString(), Set.of(ENCRYPTION)).get(ENCRYPTION);
    } catch (ZfsException e) {
      throw ZfsFailures.of("checking whether it is encrypted:", fs, e);
    }
    if (p == null || p.value().isBlank() || p.value().equals("-")) {
      throw new SendRefusedException(
          "refusing to send " + fs + ": zfs reported no encryption property for it", null);
    }
    return !p.value().equals("off");
  }

  private SendRequest toZfs(SendStepRequest r) {
    DatasetPath fs = r.filesystem();
    Step step = r.step();
    if (r.resumeToken().isPresent()) {
      return SendRequest.resume(fs, r.resumeToken().get(), flags);
    }
    if (step.isFull()) {
      return SendRequest.full(fs, step.to().name(), flags);
    }
    FilesystemVersion from = step.from().get();
    if (step.sendsIntermediates()) {
      return SendRequest.intermediates(fs, from.name(), step.to().name(), flags);
    }
    return SendRequest.incremental(fs, from.relativeName(), step.to().name(), flags);
  }

  /** The step's versions must still exist with the planned guids (zrepl checks this too). */
  private void checkVersions(DatasetPath fs, Step step) {
    List<FilesystemVersion> now = listVersions(List.of(fs)).get(fs);
    List<FilesystemVersion> wanted = new ArrayList<>(step.received());
    step.from().ifPresent(wanted::add);
    for (FilesystemVersion v : wanted) {
      boolean found =
          now.stream()
              .anyMatch(
                  x -> x.kind() == v.kind() && x.name().equals(v.name()) && x.guid() == v.guid());
      if (!found) {
        throw new VersionMismatchException(
            "sender "
                + fs
                + " no longer has "
                + v.relativeName()
                + " with guid "
                + v.guidString()
                + " (step "
                + step.describe()
                + ")");
      }
    }
  }

  /**
   * {@code zfs send -t} sends whatever the token names, whichever filesystem was asked for: a
   * client-supplied token must name a snapshot of the served filesystem that exists with the
   * token's guid, and a base (if any) of that filesystem. (The step may differ: a resumed step can
   * be older than the planned one, and the plan continues after it.)
   */
  private void checkResumeToken(DatasetPath fs, String token) {
    ResumeTokenContents t;
    try {
      t = zfs.decodeResumeToken(token);
    } catch (ZfsException e) {
      throw ZfsFailures.of("decoding the resume token for", fs, e);
    }
    List<FilesystemVersion> now = listVersions(List.of(fs)).get(fs);
    boolean toOk =
        t.filesystem().equals(fs.toString())
            && now.stream()
                .anyMatch(
                    v -> v.isSnapshot() && v.name().equals(t.snapshot()) && v.guid() == t.toGuid());
    boolean fromOk =
        t.fromGuid().isEmpty() || now.stream().anyMatch(v -> v.guid() == t.fromGuid().getAsLong());
    if (!toOk || !fromOk) {
      throw new VersionMismatchException(
          "resume token names "
              + t.toName()
              + " (guid "
              + Long.toUnsignedString(t.toGuid())
              + (t.fromGuid().isPresent()
                  ? ", from guid " + Long.toUnsignedString(t.fromGuid().getAsLong())
                  : "")
              + "), which is not a snapshot"
              + (t.fromGuid().isPresent() ? " and base" : "")
              + " of "
              + fs
              + " on this sender: refused");
    }
    if (encryptedOnly && !t.rawOk() && isEncrypted(fs)) {
      // zfs send -t resumes with the token's flags, not ours: without rawok it would send the
      // encrypted filesystem decrypted, which send.encrypted forbids (zrepl checks the same).
      throw new SendRefusedException(
          "refusing to resume the send of "
              + t.toName()
              + ": the resume token continues a non-raw (plaintext) send, but send.encrypted is"
              + " true; nothing was sent (the step starts over, raw)",
          null);
    }
  }

  /** The snapshots a step hold protects: the step's {@code from} (if a snapshot) and {@code to}. */
  private static List<String> heldSnapshots(Step step) {
    List<String> out = new ArrayList<>();
    step.from().filter(FilesystemVersion::isSnapshot).ifPresent(f -> out.add(f.name()));
    out.add(step.to().name());
    return out;
  }

  /**
   * What the step's protection mode takes before the stream starts (zrepl's {@code SenderPreSend}),
   * and the stale tentative cursors of earlier attempts it removes.
   */
  private void protect(DatasetPath fs, Step step) {
    Protection.Kind mode = protection.of(step.from().isPresent());
    Set<String> keep = new java.util.HashSet<>();
    switch (mode) {
      case RESUMABILITY -> holdStep(fs, step);
      case INCREMENTAL -> {
        if (caps.bookmarks()) {
          for (FilesystemVersion v : protectedVersions(step)) {
            String b = names.tentativeCursorBookmark(v.guid());
            keep.add(b);
            createBookmark(fs, v, b);
          }
        }
        releaseStep(fs, step);
      }
      case NOTHING -> releaseStep(fs, step);
    }
    step.from().filter(FilesystemVersion::isBookmark).ifPresent(f -> keep.add(f.name()));
    destroyTentativeCursors(fs, keep);
  }

  /**
   * The step's snapshots a tentative cursor can be made of: {@code from} (a snapshot), {@code to}.
   */
  private static List<FilesystemVersion> protectedVersions(Step step) {
    List<FilesystemVersion> out = new ArrayList<>();
    step.from().filter(FilesystemVersion::isSnapshot).ifPresent(out::add);
    out.add(step.to());
    return out;
  }

  /**
   * One {@code zfs bookmark}; "bookmark exists" is fine: the name carries the snapshot's guid, so
   * an existing one marks the same snapshot (an earlier attempt's).
   */
  private void createBookmark(DatasetPath fs, FilesystemVersion snapshot, String bookmark) {
    try {
      zfs.bookmark(fs, snapshot.name(), bookmark);
    } catch (DatasetExistsException e) {
      // made by an earlier attempt of this step
    } catch (ZfsException e) {
      throw ZfsFailures.of("creating tentative cursor " + bookmark + " of", fs, e);
    }
  }

  /** Destroys this job's tentative cursors on {@code fs} except {@code keep}. */
  private void destroyTentativeCursors(DatasetPath fs, Set<String> keep) {
    if (!caps.bookmarks()) {
      return;
    }
    List<FilesystemVersion> versions;
    try {
      versions = zfs.listVersions(fs);
    } catch (ZfsException e) {
      throw ZfsFailures.of("destroying stale tentative cursors of", fs, e);
    }
    destroyTentativeCursors(fs, keep, versions);
  }

  /** As above, among {@code versions} (a listing that shows every tentative cursor of the job). */
  private void destroyTentativeCursors(
      DatasetPath fs, Set<String> keep, List<FilesystemVersion> versions) {
    try {
      for (FilesystemVersion v : versions) {
        if (v.isBookmark() && names.isTentativeCursor(v.name()) && !keep.contains(v.name())) {
          zfs.destroyBookmark(fs, v.name());
        }
      }
    } catch (ZfsException e) {
      throw ZfsFailures.of("destroying stale tentative cursors of", fs, e);
    }
  }

  /** Destroys every replication cursor of this job on {@code fs} ({@code guarantee_nothing}). */
  private void destroyCursors(DatasetPath fs) {
    try {
      for (FilesystemVersion v : zfs.listVersions(fs)) {
        if (v.isBookmark() && names.cursorGuid(v.name()).isPresent()) {
          zfs.destroyBookmark(fs, v.name());
        }
      }
    } catch (ZfsException e) {
      throw ZfsFailures.of("destroying the replication cursor of", fs, e);
    }
  }

  private void holdStep(DatasetPath fs, Step step) {
    if (!caps.holds()) {
      return;
    }
    for (String snap : heldSnapshots(step)) {
      HoldTags.holdIfNotHeld(zfs, fs, snap, names.stepHold());
    }
  }

  private void releaseStep(DatasetPath fs, Step step) {
    if (!caps.holds()) {
      return;
    }
    for (String snap : heldSnapshots(step)) {
      HoldTags.releaseIfHeld(zfs, fs, snap, names.stepHold());
    }
  }

  @Override
  public OptionalLong estimateSize(SendStepRequest request) {
    // A full stream is about as large as the snapshot's referenced data; this works on every ZFS.
    // Incremental steps ask for a dry run ('zfs send -nvP'), which zfs-fuse lacks: there the size
    // stays unknown and zrepl status shows the bytes without a total.
    Step step = request.step();
    checkServed(request.filesystem());
    if (request.isResume()) {
      return OptionalLong.empty();
    }
    try {
      checkEncryption(request.filesystem()); // no dry run of a send the policy forbids
      if (step.from().isPresent()) {
        return zfs.estimateSendSize(toZfs(request));
      }
      String snapshot = step.to().fullName(request.filesystem());
      Property referenced = zfs.getProperties(snapshot, Set.of("referenced")).get("referenced");
      return referenced == null
          ? OptionalLong.empty()
          : OptionalLong.of(Long.parseLong(referenced.value()));
    } catch (ZfsException | NumberFormatException | EndpointException e) {
      return OptionalLong.empty(); // an estimate only: send() refuses or fails on its own
    }
  }

  @Override
  public void sendCompleted(SendCompletedRequest request) {
    DatasetPath fs = request.filesystem();
    checkServed(fs);
    if (request.replicated() && caps.bookmarks()) {
      // zrepl's SenderPostRecvConfirmed: both guarantees move the cursor; guarantee_nothing
      // removes it. Either way the step's tentative cursors have served their purpose.
      if (protection.of(request.step().from().isPresent()) == Protection.Kind.NOTHING) {
        destroyCursors(fs);
        destroyTentativeCursors(fs, Set.of());
      } else {
        // the listing moveCursor read names every tentative cursor: it made none
        destroyTentativeCursors(fs, Set.of(), moveCursor(fs, request.step().to()));
      }
    }
    if (request.replicated() && !caps.bookmarks()) {
      // No bookmark can carry the cursor: the filesystem's zrepl:cursors property does, so that
      // every job's sender pruning keeps this target's incremental base (TargetCursors).
      if (protection.of(request.step().from().isPresent()) == Protection.Kind.NOTHING) {
        synchronized (pendingCursors) {
          pendingCursors.remove(fs);
        }
        TargetCursors.forget(zfs, fs, names.job());
      } else {
        checkHasSnapshot(fs, request.step().to());
        if (cursorsPerRun) {
          synchronized (pendingCursors) {
            pendingCursors.put(fs, request.step().to());
          }
        } else {
          TargetCursors.record(zfs, fs, names.job(), request.step().to().guid());
        }
      }
    }
    releaseStep(fs, request.step());
    if (request.replicated()) {
      OwnStaleAbstractions.release(zfs, caps, fs, names.job());
    }
  }

  /** A client may only report a snapshot the sender has (with that guid) as replicated. */
  private void checkHasSnapshot(DatasetPath fs, FilesystemVersion to) {
    requireSnapshot(fs, listVersions(List.of(fs)).get(fs), to, "to record as replicated");
  }

  /** Throws unless {@code versions} of {@code fs} hold snapshot {@code to} with its guid. */
  private static void requireSnapshot(
      DatasetPath fs, List<FilesystemVersion> versions, FilesystemVersion to, String purpose) {
    if (versions.stream()
        .noneMatch(v -> v.isSnapshot() && v.name().equals(to.name()) && v.guid() == to.guid())) {
      throw new VersionMismatchException(
          "sender "
              + fs
              + " has no snapshot "
              + to.relativeName()
              + " with guid "
              + to.guidString()
              + " "
              + purpose);
    }
  }

  /** Moves the cursor to {@code to}; returns the listing it read before (the cursors aside). */
  private List<FilesystemVersion> moveCursor(DatasetPath fs, FilesystemVersion to) {
    String cursor = names.cursorBookmark(to.guid());
    try {
      List<FilesystemVersion> versions = zfs.listVersions(fs);
      requireSnapshot(fs, versions, to, "to move the replication cursor to");
      boolean exists = false;
      List<String> stale = new ArrayList<>();
      for (FilesystemVersion v : versions) {
        if (v.isBookmark() && names.cursorGuid(v.name()).isPresent()) {
          if (v.name().equals(cursor)) {
            exists = true;
          } else {
            stale.add(v.name());
          }
        }
      }
      if (!exists) {
        zfs.bookmark(fs, to.name(), cursor);
      }
      for (String b : stale) {
        zfs.destroyBookmark(fs, b);
      }
      return versions;
    } catch (ZfsException e) {
      throw ZfsFailures.of("moving the replication cursor to " + to.relativeName() + " of", fs, e);
    }
  }

  @Override
  public void destroySnapshots(DatasetPath fs, List<FilesystemVersion> snapshots) {
    checkServed(fs);
    if (snapshots.isEmpty()) {
      return;
    }
    List<FilesystemVersion> now = listVersions(List.of(fs)).get(fs);
    List<String> doomed = new ArrayList<>();
    for (FilesystemVersion s : snapshots) {
      boolean present =
          s.isSnapshot()
              && now.stream()
                  .anyMatch(
                      v -> v.isSnapshot() && v.name().equals(s.name()) && v.guid() == s.guid());
      if (!present) {
        throw new VersionMismatchException(
            "sender "
                + fs
                + " has no snapshot "
                + s.relativeName()
                + " with guid "
                + s.guidString());
      }
      doomed.add(s.name());
    }
    List<String> kept = new ArrayList<>();
    List<SnapshotsKeptException.Kept> keptFor = new ArrayList<>();
    if (!caps.bookmarks()) {
      // Without bookmarks a target's incremental base is a snapshot: whoever prunes (this job,
      // another job, a puller over the RPC) must not take it from a target that is away.
      recordCursors(); // what this run replicated is a target's base too
      Map<String, Long> cursors = TargetCursors.read(zfs, fs, now);
      for (FilesystemVersion s : snapshots) {
        List<String> targets =
            cursors.entrySet().stream()
                .filter(e -> e.getValue() == s.guid())
                .map(Map.Entry::getKey)
                .toList();
        if (!targets.isEmpty()) {
          doomed.remove(s.name());
          kept.add(s.relativeName() + " (the replication cursor of " + targets + ")");
          keptFor.add(new SnapshotsKeptException.Kept(s.name(), targets));
        }
      }
    }
    try {
      if (!doomed.isEmpty()) {
        zfs.destroySnapshots(fs, doomed);
      }
    } catch (ZfsException e) {
      throw ZfsFailures.of("destroying snapshots " + doomed + " of", fs, e);
    }
    if (!kept.isEmpty()) {
      throw new SnapshotsKeptException(
          "sender "
              + fs
              + " kept "
              + String.join(", ", kept)
              + ": a target's incremental base on a ZFS without bookmarks ("
              + TargetCursors.PROPERTY
              + ")",
          keptFor);
    }
  }

  @Override
  public String toString() {
    return "LocalSender[" + names.job() + ", " + filter + "]";
  }
}

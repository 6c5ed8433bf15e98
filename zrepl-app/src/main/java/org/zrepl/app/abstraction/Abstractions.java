package org.zrepl.app.abstraction;

import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.replication.CursorRecord;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.DatasetInfo;
import org.zrepl.port.zfs.DatasetNotFoundException;
import org.zrepl.port.zfs.Property;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.port.zfs.ZfsException;

/**
 * {@code zrepl zfs-abstraction}: lists zrepl's holds, bookmarks and cursor entries, decides which
 * are stale ({@link StaleRules}) and releases or destroys them; the daemon calls {@link
 * #releaseStaleOf} after each confirmed step.
 */
public final class Abstractions {

  /** ZFS takes many snapshots per {@code zfs holds}; this many keeps the command line short. */
  private static final int HOLDS_BATCH = 200;

  private final Zfs zfs;

  @Inject
  public Abstractions(Zfs zfs) {
    this.zfs = Objects.requireNonNull(zfs, "zfs");
  }

  /**
   * Job id to "a job named in {@code jobNames} owns it": the job's own name or one of its pullers'
   * ({@code <job>_C_<client>}).
   */
  public static Predicate<String> ownedByAnyOf(Collection<String> jobNames) {
    Set<String> names = Set.copyOf(jobNames);
    return id ->
        names.contains(id)
            || names.stream()
                .anyMatch(n -> id.startsWith(n + "_C_") && id.length() > n.length() + 3);
  }

  /** What listing could not read: the filesystem (and snapshot), what it tried, and the cause. */
  public record ListError(DatasetPath fs, String what, RuntimeException cause) {
    public ListError {
      Objects.requireNonNull(fs, "fs");
      Objects.requireNonNull(what, "what");
      Objects.requireNonNull(cause, "cause");
    }

    @Override
    public String toString() {
      return "list abstractions on " + fs + ": " + what + ": " + cause.getMessage();
    }
  }

  /** What was found, and what could not be read. */
  public record Listing(List<Abstraction> found, List<ListError> errors) {
    public Listing {
      found = List.copyOf(found);
      errors = List.copyOf(errors);
    }
  }

  /** One release or destroy: empty error when it worked. */
  public record Outcome(Abstraction abstraction, Optional<String> error) {
    public Outcome {
      Objects.requireNonNull(abstraction, "abstraction");
      Objects.requireNonNull(error, "error");
    }
  }

  /** The abstractions {@code query} selects, filesystem by filesystem, sorted as found. */
  public Listing list(AbstractionQuery query) {
    List<Abstraction> found = new ArrayList<>();
    List<ListError> errors = new ArrayList<>();
    Map<DatasetPath, Optional<Property>> filesystems;
    try {
      filesystems = filesystems(query);
    } catch (DatasetNotFoundException e) {
      errors.add(new ListError(query.fs().orElseThrow(), "the filesystem does not exist", e));
      return new Listing(found, errors);
    }
    for (Map.Entry<DatasetPath, Optional<Property>> e : filesystems.entrySet()) {
      listOn(e.getKey(), e.getValue(), query, found, errors);
    }
    return new Listing(found, errors);
  }

  /**
   * The stale abstractions among those {@code query} selects, with {@code configured} (job id to "a
   * configured job owns it") or, for the daemon, without the configuration rule. A filesystem that
   * could not be listed whole contributes nothing: what is newest there is unknown.
   */
  public StaleListing stale(AbstractionQuery query, Optional<Predicate<String>> configured) {
    Listing all = list(query.allTypes());
    Set<DatasetPath> broken = Set.copyOf(all.errors().stream().map(ListError::fs).toList());
    List<Abstraction> complete =
        all.found().stream().filter(a -> !broken.contains(a.fs())).toList();
    Staleness s = StaleRules.partition(complete, configured);
    return new StaleListing(
        new Staleness(
            s.live().stream().filter(query::matches).toList(),
            s.stale().stream().filter(st -> query.matches(st.abstraction())).toList()),
        all.errors());
  }

  /** {@link #stale}'s answer and the listing errors behind it. */
  public record StaleListing(Staleness staleness, List<ListError> errors) {
    public StaleListing {
      Objects.requireNonNull(staleness, "staleness");
      errors = List.copyOf(errors);
    }
  }

  /** Releases each hold and destroys each bookmark or cursor entry; one outcome each, in order. */
  public List<Outcome> destroy(Collection<Abstraction> abstractions) {
    List<Outcome> out = new ArrayList<>();
    for (Abstraction a : abstractions) {
      try {
        destroyOne(a);
        out.add(new Outcome(a, Optional.empty()));
      } catch (ZfsException | IllegalStateException e) {
        out.add(new Outcome(a, Optional.of(e.getMessage())));
      }
    }
    return out;
  }

  /**
   * What the daemon does after a confirmed step: releases what job id {@code jobId} left on {@code
   * fs} that no longer protects anything (its configuration is the running one, so only the per-job
   * rules apply). Returns the outcomes; throws the listing's first failure.
   */
  public List<Outcome> releaseStaleOf(DatasetPath fs, String jobId) {
    // fs alone (not its children, as listing would), and no zrepl:cursors entry: without the
    // configuration rule an entry is never stale.
    List<Abstraction> found = new ArrayList<>();
    List<ListError> errors = new ArrayList<>();
    listOn(fs, Optional.empty(), AbstractionQuery.of(fs, jobId), found, errors);
    if (!errors.isEmpty()) {
      ListError e = errors.get(0);
      throw new IllegalStateException(e.toString(), e.cause());
    }
    return destroy(StaleRules.partition(found, Optional.empty()).staleAbstractions());
  }

  /**
   * {@code zrepl zfs-abstraction create step}: holds {@code fs@snapshot} with job id {@code
   * jobId}'s step hold (nothing happens if it is already held so). Throws the port's exception for
   * a missing snapshot or a ZFS without holds, and IllegalArgumentException for a job id that
   * cannot be part of a hold tag.
   */
  public Abstraction holdStep(DatasetPath fs, String snapshot, String jobId) {
    DatasetPath.checkComponent(jobId);
    if (jobId.contains(" ")) {
      throw new IllegalArgumentException("job id '" + jobId + "' must not contain a space");
    }
    String tag = "zrepl_STEP_J_" + jobId;
    FilesystemVersion v =
        zfs.listVersions(fs).stream()
            .filter(x -> x.isSnapshot() && x.name().equals(snapshot))
            .findFirst()
            .orElseThrow(
                () ->
                    new DatasetNotFoundException(
                        List.of("zfs", "list", "-t", "snapshot", fs + "@" + snapshot),
                        1,
                        "cannot open '" + fs + "@" + snapshot + "': dataset does not exist"));
    if (!zfs.holds(fs, snapshot).contains(tag)) {
      zfs.hold(fs, snapshot, tag);
    }
    return AbstractionNames.ofHold(fs, v, tag).orElseThrow();
  }

  private Map<DatasetPath, Optional<Property>> filesystems(AbstractionQuery query) {
    List<DatasetPath> roots = query.fs().map(List::of).orElse(List.of());
    Map<DatasetPath, Optional<Property>> out = new TreeMap<>();
    for (DatasetInfo info : zfs.listDatasets(roots, Set.of(AbstractionNames.CURSORS_PROPERTY))) {
      boolean selected =
          query.fs().map(info.path()::equals).orElse(true)
              && query.filter().map(f -> f.matches(info.path())).orElse(true);
      if (selected) {
        out.put(info.path(), info.property(AbstractionNames.CURSORS_PROPERTY));
      }
    }
    return out;
  }

  private void listOn(
      DatasetPath fs,
      Optional<Property> cursors,
      AbstractionQuery query,
      List<Abstraction> found,
      List<ListError> errors) {
    ZfsCapabilities caps = zfs.capabilities();
    List<FilesystemVersion> versions;
    try {
      versions = zfs.listVersions(fs);
    } catch (ZfsException e) {
      errors.add(new ListError(fs, "listing snapshots and bookmarks", e));
      return;
    }
    List<Abstraction> here = new ArrayList<>();
    if (caps.bookmarks()) {
      for (FilesystemVersion v : versions) {
        AbstractionNames.ofBookmark(fs, v).ifPresent(here::add);
      }
    }
    if (caps.holds()) {
      holdsOn(fs, versions, here, errors);
    }
    cursors
        .filter(p -> p.source() == Property.Source.LOCAL)
        .ifPresent(p -> here.addAll(cursorEntries(fs, p.value(), versions)));
    here.stream().filter(query::matches).forEach(found::add);
  }

  private void holdsOn(
      DatasetPath fs,
      List<FilesystemVersion> versions,
      List<Abstraction> here,
      List<ListError> errors) {
    List<FilesystemVersion> snapshots =
        versions.stream().filter(FilesystemVersion::isSnapshot).toList();
    for (int i = 0; i < snapshots.size(); i += HOLDS_BATCH) {
      List<FilesystemVersion> batch =
          snapshots.subList(i, Math.min(snapshots.size(), i + HOLDS_BATCH));
      Map<String, Set<String>> tags;
      try {
        tags = zfs.holds(fs, batch.stream().map(FilesystemVersion::name).toList());
      } catch (ZfsException e) {
        // one of them may have been destroyed meanwhile (pruning): ask one by one
        tags = holdsOneByOne(fs, batch, errors);
      }
      for (FilesystemVersion v : batch) {
        for (String tag : tags.getOrDefault(v.name(), Set.of())) {
          AbstractionNames.ofHold(fs, v, tag).ifPresent(here::add);
        }
      }
    }
  }

  private Map<String, Set<String>> holdsOneByOne(
      DatasetPath fs, List<FilesystemVersion> snapshots, List<ListError> errors) {
    Map<String, Set<String>> tags = new TreeMap<>();
    for (FilesystemVersion v : snapshots) {
      try {
        tags.put(v.name(), zfs.holds(fs, v.name()));
      } catch (DatasetNotFoundException e) {
        // destroyed meanwhile: it holds nothing
      } catch (ZfsException e) {
        errors.add(new ListError(fs, "listing the holds of @" + v.name(), e));
      }
    }
    return tags;
  }

  private static List<Abstraction> cursorEntries(
      DatasetPath fs, String value, List<FilesystemVersion> versions) {
    List<Abstraction> out = new ArrayList<>();
    CursorRecord.entries(value)
        .forEach(
            (jobId, entry) -> {
              // an entry by name whose snapshot is gone protects nothing: listed with guid 0
              long guid = entry.resolve(versions).orElse(0);
              long txg =
                  versions.stream()
                      .filter(v -> v.isSnapshot() && v.guid() == guid)
                      .mapToLong(FilesystemVersion::createTxg)
                      .findFirst()
                      .orElse(0);
              out.add(
                  new Abstraction(
                      AbstractionType.CURSOR_PROPERTY,
                      fs,
                      jobId,
                      Optional.empty(),
                      Optional.of(jobId),
                      guid,
                      txg));
            });
    return out;
  }

  private void destroyOne(Abstraction a) {
    switch (a.type()) {
      case STEP_HOLD, LAST_RECEIVED_HOLD -> zfs.release(a.fs(), a.name(), a.tag().orElseThrow());
      case TENTATIVE_CURSOR, CURSOR_V1, CURSOR_V2 -> {
        try {
          zfs.destroyBookmark(a.fs(), a.name());
        } catch (DatasetNotFoundException e) {
          // already gone: destroying a bookmark is idempotent, as in zrepl
        }
      }
      case CURSOR_PROPERTY -> removeCursorEntry(a);
    }
  }

  /**
   * The guid an entry stands for now (as listed: 0 for an entry by name whose snapshot is gone).
   */
  private long guidOf(DatasetPath fs, CursorRecord.Entry entry) {
    if (!entry.byName()) {
      return entry.guid();
    }
    return entry.resolve(zfs.listVersions(List.of(fs)).getOrDefault(fs, List.of())).orElse(0);
  }

  /** Rewrites {@code zrepl:cursors} without the entry (inherits it away when none is left). */
  private void removeCursorEntry(Abstraction a) {
    Property p =
        zfs.getProperties(a.fs().toString(), Set.of(AbstractionNames.CURSORS_PROPERTY))
            .get(AbstractionNames.CURSORS_PROPERTY);
    if (p == null || p.source() != Property.Source.LOCAL) {
      throw new IllegalStateException(
          AbstractionNames.CURSORS_PROPERTY + " is no longer set locally on " + a.fs());
    }
    Map<String, CursorRecord.Entry> entries = new TreeMap<>(CursorRecord.entries(p.value()));
    CursorRecord.Entry entry = entries.get(a.name());
    if (entry == null || guidOf(a.fs(), entry) != a.guid()) {
      throw new IllegalStateException(
          "the entry " + a.name() + "=" + a.guidHex() + " changed meanwhile on " + a.fs());
    }
    entries.remove(a.name());
    if (entries.isEmpty()) {
      zfs.inheritProperty(a.fs(), AbstractionNames.CURSORS_PROPERTY);
    } else {
      zfs.setProperty(a.fs(), AbstractionNames.CURSORS_PROPERTY, CursorRecord.format(entries));
    }
  }
}

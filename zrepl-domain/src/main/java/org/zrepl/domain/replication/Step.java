package org.zrepl.domain.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.zrepl.domain.version.FilesystemVersion;

/**
 * One {@code zfs send}, as versions of the sender:
 *
 * <ul>
 *   <li>full: no {@code from}; {@code zfs send fs@to};
 *   <li>incremental: {@code from} is a snapshot or bookmark; {@code zfs send -i from fs@to};
 *   <li>with intermediates (made by {@link StepBatching}): {@code from} is a snapshot and {@code
 *       intermediates} lists the snapshots strictly between {@code from} and {@code to} that {@code
 *       zfs send -I @from fs@to} also sends ({@code SendRequest.intermediates}).
 * </ul>
 *
 * Names are the sender's; the receiver may know the same snapshot (same guid) by another name.
 */
public record Step(
    Optional<FilesystemVersion> from, FilesystemVersion to, List<FilesystemVersion> intermediates) {

  public Step {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    intermediates = List.copyOf(intermediates);
    if (!to.isSnapshot()) {
      throw new IllegalArgumentException("to must be a snapshot, got " + to);
    }
    if (from.isPresent() && from.get().createTxg() >= to.createTxg()) {
      throw new IllegalArgumentException(
          "from must be older than to (createtxg), got " + from.get() + " -> " + to);
    }
    if (!intermediates.isEmpty()) {
      checkIntermediates(from, to, intermediates);
    }
  }

  private static void checkIntermediates(
      Optional<FilesystemVersion> from, FilesystemVersion to, List<FilesystemVersion> between) {
    FilesystemVersion start =
        from.orElseThrow(() -> new IllegalArgumentException("intermediates need a from version"));
    if (!start.isSnapshot()) {
      throw new IllegalArgumentException("-I cannot start from a bookmark, got " + start);
    }
    FilesystemVersion prev = start;
    for (FilesystemVersion v : between) {
      if (!v.isSnapshot() || v.createTxg() <= prev.createTxg() || v.createTxg() >= to.createTxg()) {
        throw new IllegalArgumentException(
            "intermediates must be snapshots in createtxg order between "
                + start
                + " and "
                + to
                + ", got "
                + between);
      }
      prev = v;
    }
  }

  public static Step full(FilesystemVersion to) {
    return new Step(Optional.empty(), to, List.of());
  }

  public static Step incremental(FilesystemVersion from, FilesystemVersion to) {
    return new Step(Optional.of(from), to, List.of());
  }

  public boolean isFull() {
    return from.isEmpty();
  }

  /** True for a {@code zfs send -I} step. */
  public boolean sendsIntermediates() {
    return !intermediates.isEmpty();
  }

  /** The snapshots this step creates on the receiver, oldest first: the intermediates, then to. */
  public List<FilesystemVersion> received() {
    List<FilesystemVersion> out = new ArrayList<>(intermediates);
    out.add(to);
    return out;
  }

  /** {@code full @a}, {@code @a -> @b}, {@code #a -> @b} or {@code @a -> @d (-I, 3 snapshots)}. */
  public String describe() {
    if (from.isEmpty()) {
      return "full " + to.relativeName();
    }
    String s = from.get().relativeName() + " -> " + to.relativeName();
    return sendsIntermediates() ? s + " (-I, " + (intermediates.size() + 1) + " snapshots)" : s;
  }
}

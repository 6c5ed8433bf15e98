package org.zrepl.port.zfs;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.zrepl.domain.dataset.DatasetPath;

/**
 * One {@code zfs send}: a full send of {@code to}, an incremental from {@code from} (a snapshot
 * {@code "@a"} or a bookmark {@code "#b"}) to {@code to}, with {@code intermediates} as {@code -I}
 * instead of {@code -i}, or a resume from a receiver's token (then {@code from}/{@code to} are
 * empty).
 */
public record SendRequest(
    DatasetPath filesystem,
    Optional<String> from,
    Optional<String> to,
    boolean intermediates,
    Optional<String> resumeToken,
    Set<SendFlag> flags) {

  public SendRequest {
    Objects.requireNonNull(filesystem, "filesystem");
    flags = Set.copyOf(flags);
    if (resumeToken.isPresent()) {
      if (from.isPresent() || to.isPresent()) {
        throw new IllegalArgumentException("a resumed send takes neither from nor to");
      }
    } else {
      String target = to.orElseThrow(() -> new IllegalArgumentException("to must be given"));
      if (!target.startsWith("@")) {
        throw new IllegalArgumentException("to must be a snapshot '@name', got '" + target + "'");
      }
      from.ifPresent(
          f -> {
            if (!(f.startsWith("@") || f.startsWith("#")) || f.length() < 2) {
              throw new IllegalArgumentException(
                  "from must be '@snapshot' or '#bookmark', got '" + f + "'");
            }
          });
      if (intermediates && from.isEmpty()) {
        throw new IllegalArgumentException("intermediates (-I) need a from version");
      }
      if (intermediates && from.get().startsWith("#")) {
        throw new IllegalArgumentException(
            "-I cannot start from a bookmark, got '" + from.get() + "'");
      }
    }
  }

  public static SendRequest full(DatasetPath fs, String toSnapshot, Set<SendFlag> flags) {
    return new SendRequest(
        fs, Optional.empty(), Optional.of("@" + toSnapshot), false, Optional.empty(), flags);
  }

  /** {@code zfs send -i from fs@to}; {@code fromVersion} is {@code "@a"} or {@code "#b"}. */
  public static SendRequest incremental(
      DatasetPath fs, String fromVersion, String toSnapshot, Set<SendFlag> flags) {
    return new SendRequest(
        fs,
        Optional.of(fromVersion),
        Optional.of("@" + toSnapshot),
        false,
        Optional.empty(),
        flags);
  }

  /** {@code zfs send -I @from fs@to}: every snapshot between them too. */
  public static SendRequest intermediates(
      DatasetPath fs, String fromSnapshot, String toSnapshot, Set<SendFlag> flags) {
    return new SendRequest(
        fs,
        Optional.of("@" + fromSnapshot),
        Optional.of("@" + toSnapshot),
        true,
        Optional.empty(),
        flags);
  }

  public static SendRequest resume(DatasetPath fs, String token, Set<SendFlag> flags) {
    return new SendRequest(
        fs, Optional.empty(), Optional.empty(), false, Optional.of(token), flags);
  }

  public boolean isIncremental() {
    return from.isPresent();
  }
}

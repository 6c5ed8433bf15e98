package org.zrepl.app.endpoint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.domain.version.FilesystemVersion;
import org.zrepl.port.zfs.DatasetInfo;
import org.zrepl.port.zfs.Zfs;

/**
 * The persistent replication cursor of each puller of a {@code source} job, per filesystem: where
 * the ZFS has bookmarks the pullers' cursor bookmarks ({@code
 * zrepl_CURSOR_G_<guid>_J_<job>_C_<client>}), elsewhere the entries {@code <job>_C_<client>} of
 * {@link TargetCursors#PROPERTY}. A daemon reads them when it starts, so that each puller's lag is
 * known before that puller calls again (its session cursor, {@link SessionCursors}, starts empty).
 * A client identity appears as in its job id: a space as {@code _}. A cursor whose snapshot is gone
 * is reported by its bookmark (same guid and creation); a recorded guid whose snapshot is gone is
 * left out (nothing to date it).
 */
public final class PullerCursors {

  private PullerCursors() {}

  /** Per filesystem of {@code filter}, per client, the version at that puller's cursor. */
  public static Map<DatasetPath, Map<String, FilesystemVersion>> read(
      Zfs zfs, String job, DatasetFilter filter) {
    String prefix = job + EndpointNames.CLIENT_SEPARATOR;
    List<DatasetPath> served = new ArrayList<>();
    for (DatasetInfo d : zfs.listDatasets(List.of(), Set.of())) {
      if (filter.matches(d.path())) {
        served.add(d.path());
      }
    }
    if (served.isEmpty()) {
      return Map.of();
    }
    boolean bookmarks = zfs.capabilities().bookmarks();
    Map<DatasetPath, List<FilesystemVersion>> versions = zfs.listVersions(served);
    Map<DatasetPath, Map<String, FilesystemVersion>> out = new HashMap<>();
    for (DatasetPath fs : served) {
      List<FilesystemVersion> vs = versions.getOrDefault(fs, List.of());
      Map<String, Long> cursors =
          bookmarks ? fromBookmarks(vs, prefix) : recorded(zfs, fs, vs, prefix);
      Map<String, FilesystemVersion> byClient = new HashMap<>();
      cursors.forEach((client, guid) -> version(vs, guid).ifPresent(v -> byClient.put(client, v)));
      if (!byClient.isEmpty()) {
        out.put(fs, Map.copyOf(byClient));
      }
    }
    return out;
  }

  /** The newest cursor bookmark of each puller (a client's older ones await their cleanup). */
  private static Map<String, Long> fromBookmarks(List<FilesystemVersion> vs, String prefix) {
    Map<String, FilesystemVersion> newest = new HashMap<>();
    for (FilesystemVersion v : vs) {
      if (!v.isBookmark()) {
        continue;
      }
      EndpointNames.anyCursor(v.name())
          .filter(c -> c.getKey().startsWith(prefix) && c.getKey().length() > prefix.length())
          .ifPresent(
              c ->
                  newest.merge(
                      c.getKey().substring(prefix.length()),
                      v,
                      (a, b) -> a.createTxg() >= b.createTxg() ? a : b));
    }
    Map<String, Long> out = new HashMap<>();
    newest.forEach((client, v) -> out.put(client, v.guid()));
    return out;
  }

  private static Map<String, Long> recorded(
      Zfs zfs, DatasetPath fs, List<FilesystemVersion> vs, String prefix) {
    Map<String, Long> out = new HashMap<>();
    TargetCursors.read(zfs, fs, vs)
        .forEach(
            (id, guid) -> {
              if (id.startsWith(prefix) && id.length() > prefix.length()) {
                out.put(id.substring(prefix.length()), guid);
              }
            });
    return out;
  }

  /** The snapshot with {@code guid}, else a bookmark of it. */
  private static Optional<FilesystemVersion> version(List<FilesystemVersion> vs, long guid) {
    return vs.stream()
        .filter(v -> v.guid() == guid)
        .min(Comparator.comparing(v -> v.isSnapshot() ? 0 : 1));
  }
}

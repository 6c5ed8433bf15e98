package org.zrepl.port.zfs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.zrepl.domain.version.FilesystemVersion;

/**
 * The snapshots and bookmarks of one filesystem, with properties of the filesystem itself and of
 * each of its snapshots, as one {@code zfs get -d 1} prints them (see {@link
 * Zfs#listVersions(java.util.Collection, java.util.Set)}). Properties that are not set are absent.
 *
 * @param versions as {@link Zfs#listVersions(java.util.Collection)} orders them
 * @param properties the requested properties of the filesystem itself
 * @param snapshotProperties per snapshot name (without {@code @}), its requested properties; a
 *     snapshot without any of them has no entry
 */
public record VersionListing(
    List<FilesystemVersion> versions,
    Map<String, Property> properties,
    Map<String, Map<String, Property>> snapshotProperties) {

  public VersionListing {
    versions = List.copyOf(versions);
    properties = Map.copyOf(properties);
    Map<String, Map<String, Property>> copy = new HashMap<>();
    Objects.requireNonNull(snapshotProperties, "snapshotProperties")
        .forEach((k, v) -> copy.put(k, Map.copyOf(v)));
    snapshotProperties = Map.copyOf(copy);
  }

  /** Versions alone, without properties. */
  public static VersionListing of(List<FilesystemVersion> versions) {
    return new VersionListing(versions, Map.of(), Map.of());
  }

  /** Each filesystem's versions alone, in the order of {@code byFilesystem}. */
  public static <K> Map<K, VersionListing> of(Map<K, List<FilesystemVersion>> byFilesystem) {
    Map<K, VersionListing> out = new java.util.LinkedHashMap<>();
    byFilesystem.forEach((fs, v) -> out.put(fs, of(v)));
    return out;
  }

  /** Property {@code name} of snapshot {@code snapshot}, if it was listed and is set. */
  public Optional<Property> snapshotProperty(String snapshot, String name) {
    return Optional.ofNullable(snapshotProperties.getOrDefault(snapshot, Map.of()).get(name));
  }
}

package org.zrepl.port.zfs;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.zrepl.domain.dataset.DatasetPath;

/**
 * A dataset listing together with the snapshots and bookmarks of every dataset it lists, from one
 * command (see {@link Zfs#listDatasetsWithVersions}).
 *
 * @param datasets as {@link Zfs#listDatasets} returns them
 * @param versions for every listed dataset (and no other), its versions with the requested
 *     properties of each snapshot and of the dataset itself
 */
public record DatasetTree(List<DatasetInfo> datasets, Map<DatasetPath, VersionListing> versions) {

  public DatasetTree {
    datasets = List.copyOf(datasets);
    versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
    for (DatasetInfo d : datasets) {
      if (!versions.containsKey(d.path())) {
        throw new IllegalArgumentException("no versions for listed dataset " + d.path());
      }
    }
    if (versions.size() != datasets.size()) {
      throw new IllegalArgumentException(
          "versions of " + versions.size() + " datasets for " + datasets.size() + " listed");
    }
  }
}

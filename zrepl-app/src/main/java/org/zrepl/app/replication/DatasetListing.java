package org.zrepl.app.replication;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.DatasetInfo;
import org.zrepl.port.zfs.Property;

/**
 * One dataset listing a {@link ListingCache} made: the datasets at and below some roots (every pool
 * if none), with some properties, and what changed since in parts of it. A change through the cache
 * either updates an entry exactly (a user property set) or marks a path or a subtree stale; a
 * question that touches a stale part goes to ZFS. Not thread-safe: the cache guards it.
 */
final class DatasetListing {

  private static final String TYPE = "type";

  private final Set<DatasetPath> roots;

  /** Roots that did not exist when listed: nothing lay at or below them. */
  private final Set<DatasetPath> absentRoots;

  private final Set<String> properties;
  private final Map<DatasetPath, DatasetInfo> byPath = new LinkedHashMap<>();
  private final Set<DatasetPath> stalePaths = new HashSet<>();
  private final Set<DatasetPath> staleTrees = new HashSet<>();

  DatasetListing(Set<DatasetPath> roots, Set<String> properties, List<DatasetInfo> datasets) {
    this(roots, Set.of(), properties, datasets);
  }

  /**
   * A listing of {@code roots}, of which {@code absentRoots} did not exist (a listing of the others
   * showed that nothing lies at or below them).
   */
  DatasetListing(
      Set<DatasetPath> roots,
      Set<DatasetPath> absentRoots,
      Set<String> properties,
      List<DatasetInfo> datasets) {
    if (!roots.containsAll(absentRoots)) {
      throw new IllegalArgumentException("absent roots " + absentRoots + " not among " + roots);
    }
    this.roots = Set.copyOf(roots);
    this.absentRoots = Set.copyOf(absentRoots);
    this.properties = Set.copyOf(properties);
    datasets.forEach(d -> byPath.put(d.path(), d));
  }

  Set<String> properties() {
    return properties;
  }

  /** True iff {@code p} is at or below a listed root (always for a listing of every pool). */
  private boolean covers(DatasetPath p) {
    return roots.isEmpty() || roots.stream().anyMatch(p::hasPrefix);
  }

  private boolean stale(DatasetPath p) {
    return stalePaths.contains(p) || staleTrees.stream().anyMatch(p::hasPrefix);
  }

  /** True iff something at or below {@code root} (anything if empty) may have changed. */
  private boolean staleWithin(Set<DatasetPath> asked) {
    if (asked.isEmpty()) {
      return !stalePaths.isEmpty() || !staleTrees.isEmpty();
    }
    for (DatasetPath r : asked) {
      if (staleTrees.stream().anyMatch(t -> t.hasPrefix(r) || r.hasPrefix(t))
          || stalePaths.stream().anyMatch(s -> s.hasPrefix(r))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The part of this listing that answers a listing of {@code asked} (every pool if empty) with
   * {@code props}: a listing of every pool covers any roots; otherwise every asked root must lie at
   * or below a listed root and have been listed (a missing root goes to ZFS, which says it is
   * missing), or, with {@code absentAllowed} (a listing of every pool narrowed to a scope, where a
   * missing root has nothing to list), be a root that was absent. Nothing answered may have changed
   * since.
   */
  Optional<List<DatasetInfo>> answer(
      Set<DatasetPath> asked, Set<String> props, boolean absentAllowed) {
    if (!properties.containsAll(props) || staleWithin(asked)) {
      return Optional.empty();
    }
    if (asked.isEmpty()) {
      return roots.isEmpty() ? Optional.of(project(props, asked)) : Optional.empty();
    }
    if (!asked.stream()
        .allMatch(
            r ->
                covers(r)
                    && (byPath.containsKey(r) || (absentAllowed && absentRoots.contains(r))))) {
      return Optional.empty();
    }
    return Optional.of(project(props, asked));
  }

  /**
   * What this listing knows of one filesystem's {@code props}: its properties if it was listed, an
   * empty map's absence (an empty {@code Optional} inside) if it lies below a listed root but was
   * not listed, or nothing (an empty outer {@code Optional}) if the listing cannot say.
   */
  Optional<Optional<Map<String, Property>>> properties(DatasetPath p, Set<String> props) {
    Set<String> listed = new HashSet<>(props);
    listed.remove(TYPE); // every listing knows the type (its own column)
    if (!properties.containsAll(listed) || !covers(p) || stale(p)) {
      return Optional.empty();
    }
    DatasetInfo d = byPath.get(p);
    if (d == null) {
      return Optional.of(Optional.empty());
    }
    Map<String, Property> out = new HashMap<>(d.properties());
    out.keySet().retainAll(listed);
    if (props.contains(TYPE)) {
      out.put(TYPE, new Property(d.type().zfsName(), Property.Source.NONE));
    }
    return Optional.of(Optional.of(Map.copyOf(out)));
  }

  /** The datasets at or below {@code asked} (all if empty) with only {@code props}. */
  List<DatasetInfo> project(Set<String> props, Set<DatasetPath> asked) {
    List<DatasetInfo> out = new ArrayList<>(byPath.size());
    for (DatasetInfo d : byPath.values()) {
      if (!asked.isEmpty() && asked.stream().noneMatch(d.path()::hasPrefix)) {
        continue;
      }
      Map<String, Property> kept = new HashMap<>(d.properties());
      kept.keySet().retainAll(props);
      out.add(new DatasetInfo(d.path(), d.type(), kept));
    }
    return List.copyOf(out);
  }

  void stalePath(DatasetPath p) {
    stalePaths.add(p);
  }

  void staleTree(DatasetPath p) {
    staleTrees.add(p);
  }

  /**
   * {@code zfs set property=value fs} succeeded for a user property ({@code module:name}), which
   * every descendant inherits unless it or a dataset between has its own (local or received) value:
   * the listing is updated exactly.
   */
  void userPropertySet(DatasetPath fs, String property, String value) {
    if (!properties.contains(property)) {
      return;
    }
    if (!byPath.containsKey(fs) || stale(fs)) {
      staleTree(fs);
      return;
    }
    for (DatasetInfo d : List.copyOf(byPath.values())) {
      if (!d.path().hasPrefix(fs)) {
        continue;
      }
      Property now;
      if (d.path().equals(fs)) {
        now = Property.local(value);
      } else if (ownValueBetween(fs, d.path(), property)) {
        continue;
      } else {
        now = new Property(value, Property.Source.INHERITED);
      }
      Map<String, Property> props = new HashMap<>(d.properties());
      props.put(property, now);
      byPath.put(d.path(), new DatasetInfo(d.path(), d.type(), props));
    }
  }

  /**
   * True iff a dataset below {@code top}, at or above {@code p}, has its own value (or {@code p}'s
   * cannot be known: then {@code p} is marked stale).
   */
  private boolean ownValueBetween(DatasetPath top, DatasetPath p, String property) {
    for (DatasetPath q = p; !q.equals(top); q = q.parent()) {
      DatasetInfo d = byPath.get(q);
      if (d == null) {
        stalePaths.add(p); // cannot happen in a recursive listing; if it does, ask ZFS
        return true;
      }
      Property v = d.properties().get(property);
      if (v != null
          && (v.source() == Property.Source.LOCAL || v.source() == Property.Source.RECEIVED)) {
        return true;
      }
    }
    return false;
  }
}

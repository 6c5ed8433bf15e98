package org.zrepl.app.config;

import java.util.Objects;
import org.zrepl.domain.dataset.DatasetPath;

/**
 * Where a receiving job puts what it receives: below {@code root_fs} (zrepl's way) or through a
 * {@code mapping} (this implementation's addition for {@code pull} and {@code sink}).
 */
public sealed interface Target {

  /** {@code root_fs}: received datasets go to {@code root/[client identity/]source path}. */
  record RootFs(DatasetPath root) implements Target {
    public RootFs {
      Objects.requireNonNull(root, "root");
    }
  }

  /** {@code mapping}: each source dataset goes where the mapping sends it, or nowhere. */
  record Mapped(Mapping mapping) implements Target {
    public Mapped {
      Objects.requireNonNull(mapping, "mapping");
    }
  }
}

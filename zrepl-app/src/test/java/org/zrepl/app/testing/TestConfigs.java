package org.zrepl.app.testing;

import java.nio.file.Path;
import org.zrepl.app.config.ConfigLoader;
import org.zrepl.app.config.Job;
import org.zrepl.app.config.LoadResult;

/** Jobs from YAML text, as an operator writes them. */
public final class TestConfigs {

  private TestConfigs() {}

  /** The job named {@code name} in {@code yaml}; fails the test if the config is invalid. */
  public static Job job(String yaml, String name) {
    LoadResult r = ConfigLoader.parse("zrepl.yml", yaml, Path.of("/tmp"));
    if (r instanceof LoadResult.Invalid i) {
      throw new AssertionError("invalid test config:\n" + i.render());
    }
    return ((LoadResult.Valid) r)
        .config()
        .job(name)
        .orElseThrow(() -> new AssertionError("no job " + name));
  }
}

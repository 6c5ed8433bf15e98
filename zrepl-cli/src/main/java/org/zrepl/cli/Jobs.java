package org.zrepl.cli;

import org.zrepl.app.config.Config;
import org.zrepl.app.config.Job;
import picocli.CommandLine;

/** Looking up {@code --job NAME}. */
final class Jobs {

  private Jobs() {}

  /** The named job; a usage error naming the jobs that exist if there is none. */
  static Job find(Config config, String name, CommandLine cl) {
    return config
        .job(name)
        .orElseThrow(
            () ->
                new UsageException(
                    cl,
                    "no job named '"
                        + name
                        + "' in the configuration; jobs: "
                        + (config.jobs().isEmpty()
                            ? "(none)"
                            : String.join(", ", config.jobs().stream().map(Job::name).toList()))));
  }
}

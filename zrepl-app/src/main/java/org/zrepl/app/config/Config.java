package org.zrepl.app.config;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** A whole, valid configuration: the global section and the jobs of the main file and includes. */
public record Config(Global global, List<Job> jobs) {

  public Config {
    Objects.requireNonNull(global, "global");
    jobs = List.copyOf(jobs);
    Set<String> names = new HashSet<>();
    for (Job j : jobs) {
      if (!names.add(j.name())) {
        throw new IllegalArgumentException(
            "job names must be unique, got '" + j.name() + "' twice");
      }
    }
  }

  public Optional<Job> job(String name) {
    return jobs.stream().filter(j -> j.name().equals(name)).findFirst();
  }
}

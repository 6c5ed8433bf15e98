package org.zrepl.app.abstraction;

import java.util.List;
import java.util.Objects;

/** Abstractions split into those still needed and those that are not, each with why. */
public record Staleness(List<Abstraction> live, List<Stale> stale) {

  public Staleness {
    live = List.copyOf(live);
    stale = List.copyOf(stale);
  }

  /** A stale abstraction and why nothing needs it. */
  public record Stale(Abstraction abstraction, String reason) {
    public Stale {
      Objects.requireNonNull(abstraction, "abstraction");
      Objects.requireNonNull(reason, "reason");
    }
  }

  public List<Abstraction> staleAbstractions() {
    return stale.stream().map(Stale::abstraction).toList();
  }
}

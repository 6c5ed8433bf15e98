package org.zrepl.cli.inject;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import org.zrepl.app.daemon.JobBuilders;
import org.zrepl.port.zfs.Zfs;

/** The production object graph, built once in {@code Stage.PRODUCTION}. */
public final class Wiring {

  private final Injector injector;

  private Wiring(Injector injector) {
    this.injector = injector;
  }

  public static Wiring production() {
    return new Wiring(Guice.createInjector(Stage.PRODUCTION, new ProductionModule()));
  }

  public Zfs zfs() {
    return injector.getInstance(Zfs.class);
  }

  public JobBuilders jobBuilders() {
    return injector.getInstance(JobBuilders.class);
  }
}

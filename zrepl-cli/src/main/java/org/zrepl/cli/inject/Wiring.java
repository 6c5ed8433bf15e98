package org.zrepl.cli.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.zrepl.app.abstraction.Abstractions;
import org.zrepl.app.daemon.ActiveSides;
import org.zrepl.app.daemon.DaemonServices;
import org.zrepl.app.daemon.JobBuilders;
import org.zrepl.app.daemon.JobDependencies;
import org.zrepl.app.inspect.InspectFilesystems;
import org.zrepl.app.inspect.InspectPlaceholders;
import org.zrepl.app.prune.PruneDryRun;
import org.zrepl.port.zfs.Zfs;

/**
 * The composition root: the object graph built once in {@code Stage.PRODUCTION} with explicit
 * bindings only, so a wiring error surfaces when the injector is built, not when a job first runs.
 */
public final class Wiring {

  private final Injector injector;

  private Wiring(Injector injector) {
    this.injector = injector;
  }

  /** The adapter modules of a real host. */
  public static List<Module> productionModules() {
    return modules(new HostModule(), new CliZfsModule());
  }

  /**
   * The production module set with {@code host} (clock, waiting) and {@code zfsAndHooks} (the keys
   * {@link CliZfsModule} binds) in place of the real host's: the one list every graph is built
   * from, in production, in the training run and in tests.
   */
  public static List<Module> modules(Module host, Module zfsAndHooks) {
    return List.of(
        host,
        zfsAndHooks,
        new TransportModule(),
        new LogOutletsModule(),
        new MetricsModule(),
        new AppModule());
  }

  public static Wiring production() {
    return of(productionModules());
  }

  /**
   * The production graph with {@code zfs} in place of the {@code zfs} command (for the
   * class-data-sharing training run, which runs real jobs on an in-memory ZFS): everything else,
   * hooks included, as on a real host.
   */
  public static Wiring withZfs(Zfs zfs) {
    return of(modules(new HostModule(), new SuppliedZfsModule(() -> zfs)));
  }

  /** The graph of {@code modules} (one binding per key; tests swap an adapter module). */
  public static Wiring of(List<? extends Module> modules) {
    List<Module> all = new ArrayList<>(modules);
    all.add(
        new AbstractModule() {
          @Override
          protected void configure() {
            binder().requireExplicitBindings();
          }
        });
    return new Wiring(Guice.createInjector(Stage.PRODUCTION, all));
  }

  /**
   * The instance for {@code type}. An adapter that fails while being built fails with its own
   * exception (Guice's wrapper would hide it from the command that reports it).
   */
  private <T> T get(Class<T> type) {
    try {
      return injector.getInstance(type);
    } catch (ProvisionException e) {
      if (e.getErrorMessages().size() == 1
          && e.getCause() instanceof RuntimeException cause
          && !(cause instanceof ProvisionException)) {
        throw cause;
      }
      throw e;
    }
  }

  public Clock clock() {
    return get(Clock.class);
  }

  public Zfs zfs() {
    return get(Zfs.class);
  }

  public JobDependencies jobDependencies() {
    return get(JobDependencies.class);
  }

  public JobBuilders jobBuilders() {
    return get(JobBuilders.class);
  }

  public ActiveSides activeSides() {
    return get(ActiveSides.class);
  }

  public DaemonServices daemonServices() {
    return get(DaemonServices.class);
  }

  public InspectFilesystems inspectFilesystems() {
    return get(InspectFilesystems.class);
  }

  public InspectPlaceholders inspectPlaceholders() {
    return get(InspectPlaceholders.class);
  }

  public PruneDryRun pruneDryRun() {
    return get(PruneDryRun.class);
  }

  public Abstractions abstractions() {
    return get(Abstractions.class);
  }
}

package org.zrepl.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.zrepl.app.replication.Sleeper;
import org.zrepl.port.process.CommandRunner;
import org.zrepl.port.transport.Connection;
import org.zrepl.port.transport.Connector;
import org.zrepl.port.transport.Listener;
import org.zrepl.port.transport.LogSinks;
import org.zrepl.port.transport.MetricsListeners;
import org.zrepl.port.transport.Rpc;
import org.zrepl.port.transport.Wires;
import org.zrepl.port.transport.control.ControlSockets;
import org.zrepl.port.zfs.Zfs;

/**
 * The layering rules of the house style, executed against the production classes of every module
 * (this module's test classpath sees them all).
 */
class ArchitectureTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // test-jars of other modules (TestPki, ZFS fixtures) are test code too
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("org.zrepl");
  }

  @Test
  void everyModuleIsImported() {
    // Guards the other rules against passing vacuously because a module was not on the path.
    for (String pkg :
        new String[] {
          "org.zrepl.domain",
          "org.zrepl.port.zfs",
          "org.zrepl.port.transport",
          "org.zrepl.zfs",
          "org.zrepl.transport",
          "org.zrepl.app",
          "org.zrepl.cli"
        }) {
      org.assertj.core.api.Assertions.assertThat(
              classes.stream().anyMatch(c -> c.getPackageName().startsWith(pkg)))
          .as("classes imported from %s", pkg)
          .isTrue();
    }
  }

  @Test
  void domainUsesOnlyTheJdkCore() {
    ArchRule rule =
        classes()
            .that()
            .resideInAnyPackage("org.zrepl.domain..", "org.zrepl.port..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage(
                "org.zrepl.domain..",
                "org.zrepl.port..",
                "java.lang..",
                "java.util..",
                "java.time..",
                "java.math..",
                // InputStream appears in the Zfs port's send/receive signatures; no I/O is done.
                "java.io",
                // Path names a socket or key file in the transport ports' signatures; no I/O.
                "java.nio.file")
            .because("the domain is pure: no I/O, no frameworks");
    rule.check(classes);
  }

  @Test
  void domainDoesNoFileOrProcessWork() {
    noClasses()
        .that()
        .resideInAnyPackage("org.zrepl.domain..", "org.zrepl.port..")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.io.File")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.lang.ProcessBuilder")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.lang.Runtime")
        .check(classes);
  }

  @Test
  void onlyTheZfsAdapterStartsProcesses() {
    noClasses()
        .that()
        // The one exception: the ssh+stdinserver wire is an ssh process's pipes.
        .resideOutsideOfPackages("org.zrepl.zfs..", "org.zrepl.transport.stdinserver")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.lang.ProcessBuilder")
        .orShould()
        .callMethod(Runtime.class, "exec", String.class)
        .orShould()
        .callMethod(Runtime.class, "exec", String[].class)
        .because("only zrepl-zfs-adapter runs external commands (and the ssh transport runs ssh)")
        .check(classes);
  }

  @Test
  void onlyTheTransportTouchesSockets() {
    noClasses()
        .that()
        .resideOutsideOfPackage("org.zrepl.transport..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.net..", "jnr..", "javax.net..")
        .orShould()
        .dependOnClassesThat()
        .haveSimpleNameContaining("SocketChannel")
        .because("sockets are the transport's business")
        .check(classes);
  }

  @Test
  void guiceOnlyInInjectPackages() {
    noClasses()
        .that()
        .resideOutsideOfPackage("..inject..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.google.inject..")
        .because("use cases see only jakarta.inject; wiring lives in ..inject packages")
        .check(classes);
  }

  @Test
  void onlyTheEntryPointExitsOrPrintsToStdout() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName("org.zrepl.cli.Main")
        .should()
        .callMethod(System.class, "exit", int.class)
        .orShould()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .check(classes);
  }

  @Test
  void theAppKnowsNothingOfTheCommandLine() {
    noClasses()
        .that()
        .resideInAPackage("org.zrepl.app..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.zrepl.cli..", "picocli..")
        .check(classes);
  }

  @Test
  void configParsingNeedsNoZfs() {
    noClasses()
        .that()
        .resideInAPackage("org.zrepl.app.config..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.zrepl.port..", "org.zrepl.zfs..", "org.zrepl.app.inspect..")
        .check(classes);
  }

  @Test
  void adaptersDoNotDependOnEachOther() {
    noClasses()
        .that()
        .resideInAPackage("org.zrepl.zfs..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.zrepl.transport..", "org.zrepl.app..", "org.zrepl.cli..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("org.zrepl.transport..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.zrepl.zfs..", "org.zrepl.app..", "org.zrepl.cli..")
        .check(classes);
  }

  @Test
  void theAppDependsOnNoAdapter() {
    noClasses()
        .that()
        .resideInAPackage("org.zrepl.app..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.zrepl.zfs..", "org.zrepl.transport..")
        .because("the app sees the ports; the composition root (org.zrepl.cli.inject) binds them")
        .check(classes);
  }

  /**
   * The ports the outside world implements (driven ports). The endpoint ports ({@code Sender},
   * {@code Receiver}, the served {@code Endpoints}, the {@code ControlHandler}) are implemented by
   * the app on purpose: the transport calls into it, and the local endpoint is the app's.
   */
  private static final List<Class<?>> DRIVEN_PORTS =
      List.of(
          Zfs.class,
          CommandRunner.class,
          Wires.class,
          Rpc.class,
          Rpc.Peer.class,
          Rpc.Server.class,
          Connector.class,
          Listener.class,
          Connection.class,
          LogSinks.class,
          MetricsListeners.class,
          MetricsListeners.MetricsListener.class,
          ControlSockets.class,
          ControlSockets.ControlSocket.class);

  /**
   * App classes that implement a port by wrapping the adapter the injector binds, adding no outside
   * world of their own: the invocation-scoped listing cache of a local job.
   */
  private static final List<Class<?>> PORT_DECORATORS =
      List.of(org.zrepl.app.replication.ListingCache.class);

  @Test
  void portDecoratorsWrapThePortTheyImplement() {
    for (Class<?> d : PORT_DECORATORS) {
      assertThat(
              java.util.Arrays.stream(d.getDeclaredConstructors())
                  .allMatch(
                      c -> java.util.Arrays.asList(c.getParameterTypes()).contains(Zfs.class)))
          .as("every constructor of %s takes the Zfs it decorates", d.getName())
          .isTrue();
    }
  }

  @Test
  void drivenPortsAreImplementedOnlyInAdapters() {
    for (Class<?> port : DRIVEN_PORTS) {
      // every port has an implementation here, so the rule below has a subject
      assertThat(classes.stream().anyMatch(c -> !c.isInterface() && c.isAssignableTo(port)))
          .as("an implementation of %s is imported", port.getName())
          .isTrue();
      classes()
          .that()
          .areAssignableTo(port)
          .and()
          .areNotInterfaces()
          .and()
          .doNotBelongToAnyOf(PORT_DECORATORS.toArray(new Class<?>[0]))
          .should()
          .resideInAnyPackage("org.zrepl.zfs..", "org.zrepl.transport..")
          .because("ports are implemented by adapters; the app only uses them")
          .check(classes);
    }
  }

  @Test
  void noPackageCycles() {
    ArchRule rule = slices().matching("org.zrepl.(**)").should().beFreeOfCycles();
    assertThat(classes.stream().map(c -> c.getPackageName()).distinct().count())
        .as("packages to slice")
        .isGreaterThan(10);
    rule.check(classes);
  }

  /**
   * Where the real clock and real waiting may be reached: the composition root and the CLI entry
   * point. Each other place is listed with its reason.
   */
  private static final List<String> REAL_TIME_EXCEPTIONS =
      List.of(
          // The production Sleeper's body (Thread.sleep); the composition root binds it
          // (HostModule) and jobs get it injected.
          "org.zrepl.app.replication.Sleeper",
          // SLF4J creates the logging backend through the ServiceLoader before any injector
          // exists; entries logged before the daemon installs its clock (Logging.useClock) are
          // stamped with the UTC system clock.
          "org.zrepl.app.logging.Logging",
          // The build's and the package's class-data-sharing training run (an entry point with a
          // main of its own, like Main) runs a daemon in its JVM and waits for it to answer.
          "org.zrepl.cli.CdsTraining");

  @Test
  void realTimeOnlyInTheCompositionRoot() {
    DescribedPredicate<JavaClass> allowed =
        DescribedPredicate.describe(
            "the composition root, the entry point or a listed exception",
            c ->
                c.getPackageName().startsWith("org.zrepl.cli.inject")
                    || c.getName().startsWith("org.zrepl.cli.Main")
                    || REAL_TIME_EXCEPTIONS.stream()
                        .anyMatch(e -> c.getName().equals(e) || c.getName().startsWith(e + "$")));
    ArchRule rule =
        noClasses()
            .that(DescribedPredicate.not(allowed))
            .should()
            .callMethod(Clock.class, "systemUTC")
            .orShould()
            .callMethod(Clock.class, "systemDefaultZone")
            .orShould()
            .callMethod(Clock.class, "system", ZoneId.class)
            .orShould()
            .callMethod(Instant.class, "now")
            .orShould()
            .callMethod(Thread.class, "sleep", long.class)
            .orShould()
            .callMethod(Thread.class, "sleep", long.class, int.class)
            .orShould()
            .callMethod(Thread.class, "sleep", java.time.Duration.class)
            .orShould()
            .callMethod(Sleeper.class, "system")
            .because("time comes from the injected Clock and waiting from the injected Sleeper");
    // (Sleeper.system() is where the real waiting is made: only HostModule may ask for it.)
    rule.check(classes);
    // the rule can fail: the listed exceptions do call the real clock or sleep
    for (String e : REAL_TIME_EXCEPTIONS) {
      assertThat(
              classes.stream()
                  .filter(c -> c.getName().equals(e) || c.getName().startsWith(e + "$"))
                  .flatMap(c -> c.getMethodCallsFromSelf().stream())
                  .anyMatch(
                      call ->
                          (call.getTargetOwner().isEquivalentTo(Clock.class)
                                  && call.getName().startsWith("system"))
                              || (call.getTargetOwner().isEquivalentTo(Thread.class)
                                  && call.getName().equals("sleep"))
                              || (call.getTargetOwner().isEquivalentTo(Sleeper.class)
                                  && call.getName().equals("system"))))
          .as("%s still reaches real time (else drop it from the exceptions)", e)
          .isTrue();
    }
  }
}

package org.zrepl.cli;

/**
 * How the JVM starts the {@code zfs} processes (a local step starts four, a daemon thousands a
 * day). JDK 17 starts each child through its {@code jspawnhelper} with {@code posix_spawn}: two
 * {@code exec}s per process, ~5 ms of wall each on the 2-CPU machines of docs/performance.md,
 * against ~2.9 ms with {@code vfork} (one {@code exec}; the JDK's default on Linux until JDK 12,
 * still supported). Later JDKs deprecate {@code VFORK}, so it is chosen only on the versions where
 * it is a plain supported choice, and never over an operator's own {@code
 * -Djdk.lang.Process.launchMechanism}.
 */
final class ProcessLaunch {

  static final String PROPERTY = "jdk.lang.Process.launchMechanism";

  private ProcessLaunch() {}

  /** Chooses the launch mechanism for this JVM; called before the first process starts. */
  static void configure() {
    String chosen =
        mechanism(
            Runtime.version().feature(),
            System.getProperty("os.name"),
            System.getProperty(PROPERTY));
    if (chosen != null) {
      System.setProperty(PROPERTY, chosen);
    }
  }

  /**
   * {@code "VFORK"} on Linux with JDK 17 to 21 when nothing is set; null (leave the JDK's choice or
   * the operator's) otherwise.
   */
  static String mechanism(int javaFeature, String osName, String alreadySet) {
    if (alreadySet != null || !"Linux".equals(osName) || javaFeature < 17 || javaFeature > 21) {
      return null;
    }
    return "VFORK";
  }
}

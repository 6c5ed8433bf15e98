package org.zrepl.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/** The daemon warns at start (and starts) when group or others may read its config file. */
class ConfigFileModeTest {

  private static final Path FILE = Path.of("/etc/zrepl/zrepl.yml");

  @Test
  void ownerOnlyIsQuiet() {
    assertThat(DaemonProcess.readableByOthers(FILE, PosixFilePermissions.fromString("rw-------")))
        .isEmpty();
    assertThat(DaemonProcess.readableByOthers(FILE, PosixFilePermissions.fromString("rw---x--x")))
        .isEmpty();
  }

  @Test
  void groupOrOthersReadingIsAWarningNamingTheFileAndTheMode() {
    assertThat(DaemonProcess.readableByOthers(FILE, PosixFilePermissions.fromString("rw-r-----")))
        .hasValue(
            "config file /etc/zrepl/zrepl.yml is readable by its group (mode rw-r-----);"
                + " starting anyway; chmod 600 it, as the package installs it");
    assertThat(DaemonProcess.readableByOthers(FILE, PosixFilePermissions.fromString("rw-r--r--")))
        .hasValueSatisfying(w -> assertThat(w).contains("readable by every user (mode rw-r--r--)"));
  }
}

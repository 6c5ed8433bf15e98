package org.zrepl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zrepl stdinserver} without a daemon: what the operator reads in sshd's session. */
class StdinserverCommandTest {
  @TempDir Path tmp;

  private Path config(Path sockdir) throws IOException {
    Path c = tmp.resolve("zrepl.yml");
    Files.writeString(
        c, "global:\n  serve:\n    stdinserver:\n      sockdir: " + sockdir + "\njobs: []\n");
    return c;
  }

  @Test
  void identitiesThatEscapeTheSocketDirectoryAreRefusedBeforeAnythingElse() {
    for (String bad : new String[] {"../etc", "a/b", "a@b", "a#b", ".."}) {
      Cli r = Cli.run("--config", "/nonexistent.yml", "stdinserver", bad);
      assertThat(r.code()).as(bad).isEqualTo(1);
      assertThat(r.err()).as(bad).contains("client identity '" + bad + "'");
      assertThat(r.out()).as(bad).isEmpty();
    }
  }

  @Test
  void anIdentityNoDaemonServesIsNamedWithItsSocket() throws IOException {
    Path sockdir = tmp.resolve("sock");
    Files.createDirectory(
        sockdir,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Cli r = Cli.run("--config", config(sockdir).toString(), "stdinserver", "laptop");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains("no daemon serves client identity 'laptop'")
        .contains(sockdir.resolve("laptop").toString());
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aMissingSocketDirectoryMeansNoDaemon() throws IOException {
    Path sockdir = tmp.resolve("missing");
    Cli r = Cli.run("--config", config(sockdir).toString(), "stdinserver", "laptop");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains(sockdir + " does not exist").contains("daemon running");
  }

  @Test
  void anIdentityIsRequired() {
    Cli r = Cli.run("stdinserver");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("CLIENT_IDENTITY");
  }
}

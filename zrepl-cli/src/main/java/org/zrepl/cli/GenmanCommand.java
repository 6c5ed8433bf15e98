package org.zrepl.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code zrepl genman [FILE]} (hidden; used by {@code scripts/package}): the {@code zrepl(8)}
 * manual page generated from the command model.
 */
@Command(
    name = "genman",
    hidden = true,
    mixinStandardHelpOptions = true,
    description = "Write the zrepl(8) manual page (troff) generated from the commands' help.")
final class GenmanCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "FILE",
      description = "Where to write the page (default: standard output).")
  Path file;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    String page = ManPage.render(spec.root().commandLine(), VersionCommand.version());
    if (file == null) {
      spec.commandLine().getOut().print(page);
      spec.commandLine().getOut().flush();
      return 0;
    }
    try {
      Files.writeString(file, page, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException("cannot write the manual page to " + file + ": " + e);
    }
    return 0;
  }
}

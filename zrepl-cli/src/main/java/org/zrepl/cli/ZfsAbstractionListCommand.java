package org.zrepl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.zrepl.app.abstraction.Abstraction;
import org.zrepl.app.abstraction.Abstractions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code zrepl zfs-abstraction list}. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "List zrepl's holds, bookmarks and zrepl:cursors entries on this machine, one per line:"
          + " the type, the hold tag and snapshot or the bookmark, e.g.",
      "  step-hold \"zrepl_STEP_J_prod\" on pool/data@zrepl_20260101_000000_000",
      "Needs no configuration. Exit status 1 if a filesystem could not be listed (each"
          + " failure is printed to stderr with its cause).",
      "",
      "Examples:",
      "  zrepl zfs-abstraction list                          # everything, every pool",
      "  zrepl zfs-abstraction list --job backup --fs 'pool/data<:ok' --type step-hold",
      "  zrepl zfs-abstraction list --json | jq -r .type | sort | uniq -c"
    })
final class ZfsAbstractionListCommand implements Callable<Integer> {

  @Mixin AbstractionFilter filter;

  @Option(names = "--json", description = "Print each abstraction as a JSON object.")
  boolean json;

  @Spec CommandSpec spec;

  private final ZreplCommand top;

  ZfsAbstractionListCommand(ZreplCommand top) {
    this.top = top;
  }

  @Override
  public Integer call() throws JsonProcessingException {
    var query = filter.query(spec.commandLine());
    Abstractions.Listing listing = top.context().wiring().get().abstractions().list(query);
    PrintWriter out = spec.commandLine().getOut();
    ObjectMapper mapper = json ? new ObjectMapper() : null;
    for (Abstraction a : listing.found()) {
      if (mapper != null) {
        out.println(
            mapper
                .writerWithDefaultPrettyPrinter()
                .writeValueAsString(AbstractionJson.of(mapper, a, Optional.empty())));
        out.println();
      } else {
        out.println(a);
      }
    }
    PrintWriter err = spec.commandLine().getErr();
    for (Abstractions.ListError e : listing.errors()) {
      err.println(e);
    }
    if (!listing.errors().isEmpty()) {
      err.println("there were errors in listing the abstractions");
      return 1;
    }
    return 0;
  }
}

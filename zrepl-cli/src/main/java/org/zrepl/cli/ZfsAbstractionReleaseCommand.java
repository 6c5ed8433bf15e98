package org.zrepl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.zrepl.app.abstraction.Abstraction;
import org.zrepl.app.abstraction.Abstractions;
import org.zrepl.app.abstraction.Staleness;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zrepl zfs-abstraction release-stale | release-all}: releases holds and destroys bookmarks
 * (and zrepl:cursors entries), printing each with its outcome; {@code --dry-run} only prints them.
 * As in zrepl, both act unless {@code --dry-run} is given.
 */
abstract class ZfsAbstractionReleaseCommand implements Callable<Integer> {

  @Mixin AbstractionFilter filter;

  @Option(names = "--json", description = "Print JSON instead of lines.")
  boolean json;

  @Option(
      names = "--dry-run",
      description = "Only print what would be released or destroyed; change nothing.")
  boolean dryRun;

  @Spec CommandSpec spec;

  final ZreplCommand top;

  ZfsAbstractionReleaseCommand(ZreplCommand top) {
    this.top = top;
  }

  /**
   * What to release, each with why (empty for release-all); null after printing why there is none.
   */
  abstract Selection select(Abstractions abstractions, PrintWriter err);

  record Selection(List<Staleness.Stale> chosen, boolean listingFailed) {}

  @Override
  public Integer call() throws JsonProcessingException {
    Abstractions abstractions = top.context().wiring().get().abstractions();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Selection s = select(abstractions, err);
    if (s == null) {
      return 1;
    }
    ObjectMapper mapper = new ObjectMapper();
    if (dryRun) {
      printDryRun(s.chosen(), mapper, out);
      return s.listingFailed() ? 1 : 0;
    }
    List<Abstractions.Outcome> outcomes =
        abstractions.destroy(s.chosen().stream().map(Staleness.Stale::abstraction).toList());
    boolean failed = false;
    for (Abstractions.Outcome o : outcomes) {
      failed |= o.error().isPresent();
      if (json) {
        ObjectNode r = mapper.createObjectNode();
        r.set("Abstraction", AbstractionJson.of(mapper, o.abstraction(), Optional.empty()));
        r.put("DestroyErr", o.error().orElse(""));
        out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(r));
      } else if (o.error().isPresent()) {
        out.println("destroy " + o.abstraction() + " ... failed:");
        out.println(o.error().get());
      } else {
        out.println("destroy " + o.abstraction() + " ... OK");
      }
    }
    if (failed) {
      err.println("there were errors in destroying the abstractions");
    }
    return failed || s.listingFailed() ? 1 : 0;
  }

  private void printDryRun(List<Staleness.Stale> chosen, ObjectMapper mapper, PrintWriter out)
      throws JsonProcessingException {
    if (json) {
      ArrayNode a = mapper.createArrayNode();
      for (Staleness.Stale st : chosen) {
        a.add(AbstractionJson.of(mapper, st.abstraction(), reason(st)));
      }
      out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(a));
      return;
    }
    for (Staleness.Stale st : chosen) {
      out.println(
          "would destroy " + st.abstraction() + reason(st).map(r -> " (" + r + ")").orElse(""));
    }
  }

  private static Optional<String> reason(Staleness.Stale st) {
    return Optional.of(st.reason()).filter(r -> !r.isEmpty());
  }

  static boolean printListingErrors(List<Abstractions.ListError> errors, PrintWriter err) {
    for (Abstractions.ListError e : errors) {
      err.println(e);
    }
    if (!errors.isEmpty()) {
      err.println(
          "there were errors in listing the abstractions; those filesystems are left as they are");
    }
    return !errors.isEmpty();
  }

  /** {@code release-stale}. */
  @Command(
      name = "release-stale",
      mixinStandardHelpOptions = true,
      description = {
        "Release the holds and destroy the bookmarks that no job of this configuration needs"
            + " any more, and print each with its outcome (--dry-run: with why it is stale)."
            + " Stale are:",
        "  - everything of a job id that is not in the configuration (a job removed or renamed;"
            + " a source's pullers <job>_C_<client> count as the source job), including its"
            + " zrepl:cursors entry;",
        "  - of a configured job, per filesystem: replication cursors and last-received holds"
            + " but the newest; step holds and tentative cursors at or before the replication"
            + " cursor (without a cursor: step holds older than the newest one).",
        "Reads the configuration (--config) to know the jobs: run it with the daemon's"
            + " configuration. Acts unless --dry-run is given. Exit status 1 if anything could"
            + " not be listed or released.",
        "",
        "Examples:",
        "  zrepl zfs-abstraction release-stale --dry-run --config /etc/zrepl/zrepl.yml",
        "  zrepl zfs-abstraction release-stale --job backup"
      })
  static final class Stale extends ZfsAbstractionReleaseCommand {
    Stale(ZreplCommand top) {
      super(top);
    }

    @Override
    Selection select(Abstractions abstractions, PrintWriter err) {
      var query = filter.query(spec.commandLine());
      Optional<org.zrepl.app.config.Config> config;
      try {
        config = Configs.load(top, err);
      } catch (CliException e) {
        err.println("zrepl: error: " + e.getMessage());
        config = Optional.empty();
      }
      if (config.isEmpty()) {
        err.println(
            "zrepl: error: release-stale needs the configuration to know which jobs exist;"
                + " nothing was released");
        return null;
      }
      List<String> jobs = config.get().jobs().stream().map(org.zrepl.app.config.Job::name).toList();
      Abstractions.StaleListing s =
          abstractions.stale(query, Optional.of(Abstractions.ownedByAnyOf(jobs)));
      boolean failed = printListingErrors(s.errors(), err);
      return new Selection(s.staleness().stale(), failed);
    }
  }

  /** {@code release-all}. */
  @Command(
      name = "release-all",
      mixinStandardHelpOptions = true,
      description = {
        "(DANGEROUS) Release ALL of zrepl's holds and destroy ALL its bookmarks and"
            + " zrepl:cursors entries that the filters select, live ones too: for removing zrepl"
            + " from a machine or a filesystem. The next replication of an affected filesystem"
            + " may need a full send. Holds and bookmarks with other names are never touched.",
        "Needs no configuration. Acts unless --dry-run is given; try --dry-run first. Exit"
            + " status 1 if anything could not be listed or released.",
        "",
        "Examples:",
        "  zrepl zfs-abstraction release-all --fs 'pool/old<:ok' --dry-run",
        "  zrepl zfs-abstraction release-all --job removed-job"
      })
  static final class All extends ZfsAbstractionReleaseCommand {
    All(ZreplCommand top) {
      super(top);
    }

    @Override
    Selection select(Abstractions abstractions, PrintWriter err) {
      Abstractions.Listing l = abstractions.list(filter.query(spec.commandLine()));
      boolean failed = printListingErrors(l.errors(), err);
      List<Staleness.Stale> all =
          l.found().stream().map((Abstraction a) -> new Staleness.Stale(a, "")).toList();
      return new Selection(all, failed);
    }
  }
}

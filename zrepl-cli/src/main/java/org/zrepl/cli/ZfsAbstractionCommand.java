package org.zrepl.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code zrepl zfs-abstraction}: the holds and bookmarks zrepl keeps on the pools. */
@Command(
    name = "zfs-abstraction",
    mixinStandardHelpOptions = true,
    description = {
      "Manage the holds and bookmarks zrepl builds on top of ZFS (its \"abstractions\").",
      "",
      "zrepl holds and bookmarks snapshots so that replication can always go on: step holds"
          + " (zrepl_STEP_J_<job>) while a step runs, a last-received hold"
          + " (zrepl_last_received_J_<job>) on a receiver's newest snapshot, replication cursor"
          + " bookmarks (zrepl_CURSOR_G_<guid>_J_<job>) on a sender, tentative cursors under"
          + " guarantee_incremental, and on zfs-fuse an entry <job>=<guid> in the zrepl:cursors"
          + " property. A held snapshot cannot be destroyed (\"dataset is busy\").",
      "",
      "The daemon releases what its jobs no longer need after every replicated step. Use"
          + " 'list' to see what is there, 'release-stale' after removing or renaming a job or"
          + " when pruning fails with \"dataset is busy\", and 'release-all' to remove zrepl from"
          + " a pool or filesystem.",
      "",
      "Examples:",
      "  zrepl zfs-abstraction list --job backup",
      "  zrepl zfs-abstraction release-stale --dry-run   # what would go, and why",
      "  zrepl zfs-abstraction release-stale"
    },
    synopsisSubcommandLabel = "COMMAND")
final class ZfsAbstractionCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }
}

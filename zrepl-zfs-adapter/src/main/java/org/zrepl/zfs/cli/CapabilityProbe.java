package org.zrepl.zfs.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.zrepl.port.zfs.ZfsCapabilities;

/**
 * Decides what the installed ZFS can do from the output of a few harmless commands, instead of
 * assuming by version. Pure: {@link CliZfs} runs the commands listed here and hands their output to
 * {@link #parse}.
 *
 * <ul>
 *   <li>{@code zfs version}: exists from OpenZFS 0.8 on and names the version; zfs-fuse answers
 *       "unrecognized command".
 *   <li>{@code zfs -?}: the usage text; each subcommand's synopsis lists its options, e.g. {@code
 *       receive [-vMnsFhu] [-o property=value] ... [-x property]} or {@code snapshot ...
 *       <filesystem|volume>@<snap> ...} (the trailing "..." means several snapshots at once).
 *   <li>{@code zpool upgrade -v}, only without {@code zfs version}: the pool version (zfs-fuse is
 *       23, before feature flags).
 *   <li>{@code zfs holds -H <nonexistent>@x}, only if the usage lists {@code holds}: Debian's
 *       zfs-fuse lists it, but it fails with "internal error: /usr/lib/zfs/pyzfs.py not found".
 * </ul>
 */
final class CapabilityProbe {

  static final List<String> VERSION = List.of("zfs", "version");
  static final List<String> USAGE = List.of("zfs", "-?");
  static final List<String> POOL_VERSIONS = List.of("zpool", "upgrade", "-v");
  static final List<String> HOLDS = List.of("zfs", "holds", "-H", "zrepl-probe-nonexistent@x");

  private static final Pattern OPENZFS_VERSION = Pattern.compile("^zfs-(\\d+\\.\\d+\\.\\d+)");
  private static final Pattern POOL_VERSION =
      Pattern.compile("currently running ZFS pool version (\\d+)");
  private static final Pattern FLAGS = Pattern.compile("(?<![\\w-])-([A-Za-z]+)");

  private CapabilityProbe() {}

  /** True iff {@code zfs version} worked, so no pool-version probe is needed. */
  static boolean hasVersionCommand(CommandResult version) {
    return version.ok() && OPENZFS_VERSION.matcher(version.stdout()).find();
  }

  /** The usage synopses by subcommand, e.g. {@code "send" -> ["send [-DnPpRv..] ..."]}. */
  static Map<String, List<String>> synopses(String usage) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    String command = null;
    StringBuilder current = null;
    for (String line : usage.split("\n", -1)) {
      boolean entry = line.startsWith("\t") && line.length() > 1 && line.charAt(1) != ' ';
      boolean continuation = line.startsWith("\t ") && current != null;
      if (continuation) {
        current.append(' ').append(line.strip());
        continue;
      }
      if (current != null) {
        out.computeIfAbsent(command, k -> new ArrayList<>()).add(current.toString());
        current = null;
      }
      if (entry) {
        String text = line.strip();
        int sp = text.indexOf(' ');
        command = sp < 0 ? text : text.substring(0, sp);
        current = new StringBuilder(text);
      }
    }
    if (current != null) {
      out.computeIfAbsent(command, k -> new ArrayList<>()).add(current.toString());
    }
    return out;
  }

  /** Every option letter in the synopses of {@code command}. */
  static Set<Character> flags(Map<String, List<String>> synopses, String command) {
    Set<Character> out = new HashSet<>();
    for (String s : synopses.getOrDefault(command, List.of())) {
      Matcher m = FLAGS.matcher(s);
      while (m.find()) {
        for (char c : m.group(1).toCharArray()) {
          out.add(c);
        }
      }
    }
    return out;
  }

  /**
   * Builds the dialect. {@code poolVersions} is the output of {@code zpool upgrade -v} (present
   * only if {@code zfs version} failed); {@code holds} the result of the holds probe (present only
   * if the usage lists {@code holds}).
   */
  static ZfsDialect parse(
      CommandResult version,
      String usage,
      Optional<String> poolVersions,
      Optional<CommandResult> holds) {
    Map<String, List<String>> syn = synopses(usage);
    if (syn.isEmpty()) {
      throw new IllegalArgumentException(
          "'zfs -?' printed no usage synopses; cannot probe capabilities: '" + usage + "'");
    }
    Set<Character> list = flags(syn, "list");
    Set<Character> send = flags(syn, "send");
    Set<Character> recv = flags(syn, "receive");
    Set<Character> get = flags(syn, "get");
    boolean holdsWork =
        syn.containsKey("holds")
            && holds
                .map(r -> r.exitCode() != 255 && !r.diagnostics().contains("internal error"))
                .orElse(false);
    ZfsCapabilities caps =
        new ZfsCapabilities(
            flavour(version, poolVersions),
            list.contains('p'),
            syn.getOrDefault("snapshot", List.of()).stream().anyMatch(s -> s.endsWith("...")),
            syn.getOrDefault("destroy", List.of()).stream().anyMatch(s -> s.contains("[,...]")),
            syn.containsKey("bookmark"),
            holdsWork,
            recv.contains('s') && recv.contains('A') && send.contains('t'),
            send.contains('n') && send.contains('v') && send.contains('P'),
            send.contains('w'),
            recv.contains('o') && recv.contains('x'));
    return new ZfsDialect(caps, get.contains('t'), caps.flavour().startsWith("zfs-fuse"));
  }

  static String flavour(CommandResult version, Optional<String> poolVersions) {
    Matcher m = OPENZFS_VERSION.matcher(version.stdout());
    if (version.ok() && m.find()) {
      return "OpenZFS " + m.group(1);
    }
    String pv = poolVersions.orElse("");
    Matcher p = POOL_VERSION.matcher(pv);
    if (p.find()) {
      // Pool versions end at 28; everything newer reports feature flags (version 5000).
      return Integer.parseInt(p.group(1)) <= 28
          ? "zfs-fuse (pool version " + p.group(1) + ")"
          : "ZFS (pool version " + p.group(1) + ")";
    }
    if (pv.contains("feature flags")) {
      return "OpenZFS (before 0.8, feature flags)";
    }
    return "unknown ZFS";
  }
}

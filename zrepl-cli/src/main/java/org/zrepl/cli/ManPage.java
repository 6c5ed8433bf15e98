package org.zrepl.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The {@code zrepl(8)} manual page in troff ({@code man}) format, generated from the picocli
 * command model, so every command, option and parameter the parser accepts is on the page with the
 * same text as its {@code --help}.
 */
final class ManPage {
  private ManPage() {}

  static String render(CommandLine root, String version) {
    StringBuilder b = new StringBuilder();
    b.append(".TH ZREPL 8 \"\" \"zrepl-jvm ")
        .append(escape(version))
        .append("\" \"System Administration\"\n");
    b.append(".SH NAME\nzrepl \\- ZFS snapshot management, pruning and replication daemon\n");
    b.append(".SH SYNOPSIS\n.B zrepl\n[\\fB\\-\\-config\\fR \\fIFILE\\fR] \\fICOMMAND\\fR")
        .append(" [\\fIOPTIONS\\fR] [\\fIARGUMENTS\\fR]\n");
    b.append(".SH DESCRIPTION\n");
    b.append(
        "zrepl runs as a daemon (\\fBzrepl daemon\\fR, usually under systemd) and keeps ZFS"
            + " filesystems snapshotted, pruned and replicated to other pools or hosts, as its"
            + " configuration file says. The other commands check the configuration, inspect the"
            + " running daemon and the pools, and run jobs once. The configuration format is"
            + " zrepl's; see the configuration reference in /usr/share/doc/zrepl.\n");
    b.append(".SH OPTIONS\n");
    options(b, root.getCommandSpec(), false);
    b.append(".SH COMMANDS\n");
    b.append("Every command also takes \\fB\\-\\-config\\fR, \\fB\\-h\\fR (help) and");
    b.append(" \\fB\\-V\\fR (version).\n");
    commands(b, root, "zrepl");
    b.append(".SH FILES\n");
    b.append(".TP\n/etc/zrepl/zrepl.yml\nThe configuration, read when \\fB\\-\\-config\\fR is not");
    b.append(" given; then /usr/local/etc/zrepl/zrepl.yml.\n");
    b.append(".TP\n/run/zrepl\nThe daemon's control socket directory (global.control.sockpath),");
    b.append(" accessible to its owner only.\n");
    b.append(".SH EXIT STATUS\n");
    b.append(".TP\n0\nSuccess (for \\fBconfigcheck\\fR: the configuration is valid).\n");
    b.append(".TP\n1\nAn invalid configuration or a failed operation; the error names the");
    b.append(" cause (and for configuration errors file:line:column).\n");
    b.append(".TP\n2\nA usage error: an unknown command, option or argument.\n");
    b.append(".SH SEE ALSO\n\\fBzfs\\fR(8), \\fBzpool\\fR(8), \\fBsystemctl\\fR(1)\n");
    return b.toString();
  }

  private static void commands(StringBuilder b, CommandLine parent, String prefix) {
    for (CommandLine sub : parent.getSubcommands().values()) {
      CommandSpec spec = sub.getCommandSpec();
      if (spec.usageMessage().hidden() || !spec.name().equals(sub.getCommandName())) {
        continue;
      }
      String name = prefix + " " + spec.name();
      b.append(".SS \"").append(escape(synopsis(spec, name))).append("\"\n");
      for (String line : spec.usageMessage().description()) {
        b.append(escape(line)).append("\n.br\n");
      }
      positionals(b, spec);
      options(b, spec, true);
      commands(b, sub, name);
    }
  }

  private static String synopsis(CommandSpec spec, String name) {
    Help help = new Help(spec, Help.defaultColorScheme(Help.Ansi.OFF));
    String s = help.synopsis(0).strip();
    // picocli writes "Usage: zrepl status ..." with the qualified name; keep the part after it.
    int at = s.indexOf(spec.qualifiedName());
    String rest = at < 0 ? s : s.substring(at + spec.qualifiedName().length());
    return name + rest.replaceAll("\\s+", " ");
  }

  private static void positionals(StringBuilder b, CommandSpec spec) {
    for (PositionalParamSpec p : spec.positionalParameters()) {
      if (p.hidden()) {
        continue;
      }
      b.append(".TP\n\\fI").append(escape(p.paramLabel())).append("\\fR\n");
      b.append(escape(String.join(" ", p.description()))).append('\n');
    }
  }

  private static void options(StringBuilder b, CommandSpec spec, boolean subcommand) {
    List<OptionSpec> shown = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      boolean everywhere = o.inherited() || o.usageHelp() || o.versionHelp();
      if (!o.hidden() && !(subcommand && everywhere)) {
        shown.add(o);
      }
    }
    for (OptionSpec o : shown) {
      b.append(".TP\n");
      List<String> names = new ArrayList<>();
      for (String n : o.names()) {
        names.add("\\fB" + escape(n) + "\\fR");
      }
      b.append(String.join(", ", names));
      if (o.arity().max() > 0) {
        b.append(" \\fI").append(escape(o.paramLabel())).append("\\fR");
      }
      b.append('\n');
      b.append(escape(String.join(" ", o.description()))).append('\n');
    }
  }

  /** troff escaping: backslashes, hyphens (as minus signs) and control characters at line start. */
  static String escape(String s) {
    String e = s.replace("\\", "\\e").replace("-", "\\-");
    StringBuilder out = new StringBuilder();
    for (String line : e.split("\n", -1)) {
      if (out.length() > 0) {
        out.append('\n');
      }
      if (line.startsWith(".") || line.startsWith("'")) {
        out.append("\\&");
      }
      out.append(line);
    }
    return out.toString();
  }
}

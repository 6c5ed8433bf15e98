package org.zrepl.cli;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.zrepl.port.zfs.ResumeTokenContents;
import org.zrepl.port.zfs.ZfsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zrepl test decoderesumetoken --token TOKEN}: what a {@code receive_resume_token} says, as
 * zrepl prints it (its {@code ResumeToken} fields as indented JSON). Decoded by this machine's
 * {@code zfs send -nvt} through the {@code Zfs} port, as zrepl does: the token need not come from
 * this machine, and a token whose snapshot is gone here still decodes.
 */
@Command(
    name = "decoderesumetoken",
    mixinStandardHelpOptions = true,
    description = {
      "Decode a resume token (the receive_resume_token property of a filesystem whose receive was"
          + " interrupted) and print what it continues: the snapshot (ToName, ToGUID), the"
          + " incremental base (FromGUID) and the send flags it resumes with (compressed, raw,"
          + " large blocks, embedded data, saved). Runs 'zfs send -nvt TOKEN' on this machine"
          + " (OpenZFS 0.7 or later).",
      "",
      "Example:",
      "  zrepl test decoderesumetoken --token \"$(zfs get -H -o value receive_resume_token"
          + " pool/backup/fs)\""
    })
final class TestDecodeResumeTokenCommand implements Callable<Integer> {

  @Option(
      names = "--token",
      required = true,
      paramLabel = "TOKEN",
      description = "The resume token obtained from the receive_resume_token property.")
  String token;

  @Spec CommandSpec spec;

  private final ZreplCommand top;

  TestDecodeResumeTokenCommand(ZreplCommand top) {
    this.top = top;
  }

  @Override
  public Integer call() {
    String t = token.strip();
    if (t.isEmpty() || t.equals("-")) {
      throw new UsageException(
          spec.commandLine(),
          "--token is empty"
              + (t.equals("-") ? " ('-' is how zfs shows a filesystem without a token)" : ""));
    }
    ResumeTokenContents c;
    try {
      c = top.context().wiring().get().zfs().decodeResumeToken(t);
    } catch (ZfsException e) {
      throw new CliException("cannot decode resume token: " + e.getMessage(), e);
    }
    spec.commandLine().getOut().print(json(c));
    return 0;
  }

  /**
   * zrepl's {@code ResumeToken} as its client prints it: Go's field order, one space of indent,
   * guids as unsigned decimals, each {@code HasX} saying whether the token carries field x.
   */
  static String json(ResumeTokenContents c) {
    Map<String, String> f = c.fields();
    StringBuilder b = new StringBuilder("{\n");
    field(b, "HasFromGUID", Boolean.toString(c.fromGuid().isPresent()));
    field(b, "HasToGUID", "true");
    field(b, "FromGUID", Long.toUnsignedString(c.fromGuid().orElse(0)));
    field(b, "ToGUID", Long.toUnsignedString(c.toGuid()));
    field(b, "ToName", quote(c.toName()));
    for (List<String> flag :
        List.of(
            List.of("compressok", "CompressOK", "HasCompressOK"),
            List.of("rawok", "RawOK", "HasRawOk"),
            List.of("largeblockok", "LargeBlockOK", "HasLargeBlockOK"),
            List.of("embedok", "EmbedOK", "HasEmbedOk"),
            List.of("savedok", "SavedOk", "HasSavedOk"))) {
      String v = f.get(flag.get(0));
      field(b, flag.get(2), Boolean.toString(v != null));
      field(b, flag.get(1), Boolean.toString(isTrue(v)));
    }
    b.setLength(b.length() - 2);
    return b.append("\n}\n").toString();
  }

  /** Go's strconv.ParseBool for the values nvlist_print writes ({@code 1}, {@code B_TRUE}). */
  private static boolean isTrue(String v) {
    return v != null
        && (v.equals("1") || v.equalsIgnoreCase("true") || v.equals("t") || v.equals("B_TRUE"));
  }

  private static void field(StringBuilder b, String name, String value) {
    b.append(" \"").append(name).append("\": ").append(value).append(",\n");
  }

  private static String quote(String s) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
  }
}

package org.zrepl.zfs.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A {@link ProcessLauncher} for unit tests: answers each command with the first matching scripted
 * reply (or exit 0 and no output), records every argv and what was written to stdin.
 */
final class ScriptedLauncher implements ProcessLauncher {

  record Reply(int exit, String out, String err) {}

  private record Rule(Predicate<List<String>> matches, Reply reply) {}

  private final List<Rule> rules = new ArrayList<>();
  final List<List<String>> started = new ArrayList<>();
  final List<ScriptedProcess> processes = new ArrayList<>();

  ScriptedLauncher on(Predicate<List<String>> matches, int exit, String out, String err) {
    rules.add(new Rule(matches, new Reply(exit, out, err)));
    return this;
  }

  /** Replies to commands whose argv starts with {@code prefix}. */
  ScriptedLauncher onPrefix(List<String> prefix, int exit, String out, String err) {
    return on(
        a -> a.size() >= prefix.size() && a.subList(0, prefix.size()).equals(prefix),
        exit,
        out,
        err);
  }

  /** Replies to the probe commands with the golden output of {@code flavour}. */
  ScriptedLauncher probeAs(String flavour) {
    reply(CapabilityProbe.VERSION, Golden.of(flavour, "probe-version"));
    reply(CapabilityProbe.USAGE, Golden.of(flavour, "probe-usage"));
    reply(CapabilityProbe.POOL_VERSIONS, Golden.of(flavour, "probe-zpool-upgrade"));
    reply(CapabilityProbe.HOLDS, Golden.of(flavour, "probe-holds"));
    return this;
  }

  private void reply(List<String> argv, Golden g) {
    on(argv::equals, g.exit(), g.out(), g.err());
  }

  @Override
  public synchronized LaunchedProcess start(List<String> argv) {
    started.add(List.copyOf(argv));
    Reply r =
        rules.stream()
            .filter(rule -> rule.matches().test(argv))
            .map(Rule::reply)
            .findFirst()
            .orElse(new Reply(0, "", ""));
    ScriptedProcess p = new ScriptedProcess(r);
    processes.add(p);
    return p;
  }

  static final class ScriptedProcess implements LaunchedProcess {
    private final Reply reply;
    final ByteArrayOutputStream stdin = new ByteArrayOutputStream();
    boolean stdinClosed;
    boolean killed;

    ScriptedProcess(Reply reply) {
      this.reply = reply;
    }

    @Override
    public OutputStream stdin() {
      return new OutputStream() {
        @Override
        public void write(int b) {
          stdin.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          stdin.write(b, off, len);
        }

        @Override
        public void close() {
          stdinClosed = true;
        }
      };
    }

    @Override
    public InputStream stdout() {
      return new ByteArrayInputStream(reply.out().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public InputStream stderr() {
      return new ByteArrayInputStream(reply.err().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int waitFor() {
      return reply.exit();
    }

    @Override
    public void kill() {
      killed = true;
    }
  }
}

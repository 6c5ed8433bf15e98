package org.zrepl.app.config;

import java.time.Duration;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Keys and values of zrepl's configuration that this implementation refuses at load time rather
 * than accept and not honour. Every refusal says, at the key's position, what zrepl would have done
 * and what to write instead ("say no, never nothing"); {@code docs/config-reference.md} marks these
 * keys {@code refused} and {@code ConfigReferenceTest} holds each one.
 */
final class Refusals {

  private Refusals() {}

  /**
   * Refuses {@code key} in {@code m} if it is present (with any value, even none). The key counts
   * as known, so it is not also reported as unknown.
   */
  static void key(YamlMap m, String key, String wouldHave, String instead) {
    m.known(key);
    Node at = m.keyNode(key);
    if (at != null) {
      m.problems()
          .error(
              at,
              "'"
                  + key
                  + "' in "
                  + m.what()
                  + " is refused by this implementation: "
                  + wouldHave
                  + "; "
                  + instead);
    }
  }

  /** The two keys of zrepl's {@code ssh+stdinserver} connect that zrepl parses and never uses. */
  static void sshStdinserverLeftovers(YamlMap m) {
    key(
        m,
        "ssh_command",
        "zrepl accepts it but never runs it (it always runs the 'ssh' on its PATH), so the"
            + " program named here would silently not be used",
        "remove it; the 'ssh' found first on the daemon's PATH runs, and ssh settings go in"
            + " 'options' (e.g. [\"Compression=yes\"])");
    key(
        m,
        "transport_open_command",
        "zrepl accepts it but never runs it (it always builds the ssh command line from host, user,"
            + " port, identity_file and options), so the command given here would silently not be"
            + " used",
        "remove it; the connection is opened with 'ssh -T -o BatchMode=yes -i identity_file -p"
            + " port -o option... user@host'");
  }

  /**
   * A Go duration that zrepl allows to be zero ({@code zeropositive}): this implementation always
   * bounds the wait, so zero is refused, naming the value to use.
   */
  static Duration positiveTimeout(Node n, String key, Duration dflt, Problems p) {
    if (n == null) {
      return dflt;
    }
    Duration d = ValueReads.goDuration(n, key, p);
    if (d != null && d.isNegative()) {
      p.error(n, "'" + key + "' must not be negative, got '" + ((ScalarNode) n).getValue() + "'");
      return null;
    }
    if (d != null && d.isZero()) {
      p.error(
          n,
          "'"
              + key
              + ": 0' is refused by this implementation: zrepl accepts 0 and then does not bound"
              + " the wait with it, while this implementation always bounds it; give a positive"
              + " duration instead (the default is "
              + dflt.toSeconds()
              + "s)");
      return null;
    }
    return d;
  }

  /**
   * A {@code bandwidth_limit.max} from zero to less than one byte per second: rounding it up to one
   * byte per second would quietly stall replication, so it is refused.
   */
  static void belowOneBytePerSecond(Node maxNode, DataSize max, Problems p) {
    if (maxNode != null && max != null && !max.isNegative() && max.bits() < 8) {
      p.error(
          maxNode,
          "'max: "
              + ((ScalarNode) maxNode).getValue()
              + "' is refused: a rate below one byte per second would stall replication; give a"
              + " positive rate such as '10 MiB', or a negative one such as '-1 B' for no limit");
    }
  }
}

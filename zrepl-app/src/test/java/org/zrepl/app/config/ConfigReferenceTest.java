package org.zrepl.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.zrepl.app.config.ReferenceKeys.Status;

/**
 * Holds {@code docs/config-reference.md} to what the loader and the rest of the code do, key by key
 * (issue #12, "the rule for everything else"):
 *
 * <ul>
 *   <li>every key marked {@code refused} is refused, in a minimal configuration, by a diagnostic at
 *       the key's line that says what to do instead;
 *   <li>every key marked {@code supported} or {@code ignored} loads with a sample value;
 *   <li>every {@code supported} key has a test showing its effect, registered in {@code
 *       key-effects.txt} (next to this class's resources) and pointing at an existing test method;
 *       a {@code TODO-MERGE:} entry (a key another branch makes work) fails the build until the
 *       merge names its test;
 *   <li>every {@code ignored} key is explained in {@code docs/differences.md};
 *   <li>every key the loader reads, for every type of every section, is in the reference, and every
 *       key in the reference is read by the loader.
 * </ul>
 */
class ConfigReferenceTest {

  static final Path REGISTRY = Path.of("src/test/resources/org/zrepl/app/config/key-effects.txt");
  private static final Pattern TEST_ANNOTATION =
      Pattern.compile("@(Test|ParameterizedTest|TestFactory|Property|RepeatedTest)\\b");

  /** A value for each key that loads in its minimal configuration (YAML flow text). */
  static final Map<String, String> SAMPLES = new HashMap<>();

  static {
    sample("include", "[inc.yml]");
    sample("global.control.sockpath", "/tmp/zrepl-control");
    sample("global.serve.stdinserver.sockdir", "/tmp/zrepl-stdinserver");
    sample("global.logging[*].level", "debug");
    sample("global.logging[*].format", "json");
    sample("global.logging[stdout].time", "false");
    sample("global.logging[stdout].color", "false");
    sample("global.logging[syslog].facility", "daemon");
    sample("global.logging[syslog].retry_interval", "5s");
    sample("global.logging[tcp].address", "'logs:5140'");
    sample("global.logging[tcp].net", "tcp");
    sample("global.logging[tcp].retry_interval", "5s");
    sample("global.logging[tcp].tls", "{ca: ca.pem, cert: c.pem, key: k.pem}");
    sample("global.monitoring[prometheus].listen", "':9812'");
    sample("global.monitoring[prometheus].listen_freebind", "true");
    sample("job.filesystems", "{'pool/a<': true, 'pool/a/tmp': false}");
    sample("job.root_fs", "backup/other");
    sample("job.mapping", "{'pool<': backup/mapped}");
    sample("job.interval", "manual");
    sample("connect[tcp].address", "'backup:8889'");
    sample("connect[tcp].dial_timeout", "5s");
    sample("connect[tls].address", "'backup:8889'");
    sample("connect[tls].ca", "other-ca.pem");
    sample("connect[tls].cert", "other.pem");
    sample("connect[tls].key", "other.key");
    sample("connect[tls].server_cn", "backup.example");
    sample("connect[tls].dial_timeout", "1500ms");
    sample("connect[ssh+stdinserver].host", "backup.example");
    sample("connect[ssh+stdinserver].user", "zrepl");
    sample("connect[ssh+stdinserver].port", "2222");
    sample("connect[ssh+stdinserver].identity_file", "/etc/zrepl/other_id");
    sample("connect[ssh+stdinserver].options", "['Compression=yes']");
    sample("connect[ssh+stdinserver].dial_timeout", "30s");
    sample("connect[ssh+stdinserver].ssh_command", "/usr/bin/ssh");
    sample("connect[ssh+stdinserver].transport_open_command", "[ssh, -T]");
    sample("connect[local].listener_name", "l");
    sample("connect[local].client_identity", "bob");
    sample("connect[local].dial_timeout", "1s");
    sample("serve[*].limits.max_connections", "8");
    sample("serve[*].limits.max_connections_per_client", "2");
    sample("serve[*].limits.first_request_timeout", "3s");
    sample("serve[*].limits.header_timeout", "4s");
    sample("serve[*].limits.idle_timeout", "90s");
    sample("serve[*].limits.write_timeout", "1h");
    sample("serve[tcp].listen", "'127.0.0.1:8889'");
    sample("serve[tcp].listen_freebind", "true");
    sample("serve[tcp].clients", "{'10.0.0.2': bob, '10.1.0.0/16': 'client-*'}");
    sample("serve[tls].listen", "'127.0.0.1:8889'");
    sample("serve[tls].listen_freebind", "true");
    sample("serve[tls].ca", "other-ca.pem");
    sample("serve[tls].cert", "other.pem");
    sample("serve[tls].key", "other.key");
    sample("serve[tls].client_cns", "[bob, carol]");
    sample("serve[tls].handshake_timeout", "3s");
    sample("serve[stdinserver].client_identities", "[bob, carol]");
    sample("serve[local].listener_name", "other");
    for (String t : List.of("periodic", "cron")) {
      sample("snapshotting[" + t + "].prefix", "auto_");
      sample("snapshotting[" + t + "].timestamp_format", "iso-8601");
      sample("snapshotting[" + t + "].utc_timestamp_format", "human");
      sample("snapshotting[" + t + "].timestamp_location", "UTC");
    }
    sample("snapshotting[periodic].interval", "1h");
    sample("snapshotting[cron].cron", "'30 4 1,15 * 5'");
    sample("hooks[*].timeout", "5s");
    sample("hooks[*].err_is_fatal", "true");
    sample("hooks[command].path", "/usr/local/bin/pre-snapshot");
    sample("hooks[command].filesystems", "{'pool/db<': true}");
    sample("hooks[postgres-checkpoint].type", "postgres-checkpoint");
    sample("hooks[mysql-lock-tables].type", "mysql-lock-tables");
    sample("pruning.keep", "[{type: last_n, count: 5}]");
    sample("pruning.keep_sender", "[{type: not_replicated}, {type: last_n, count: 5}]");
    sample("pruning.keep_receiver", "[{type: last_n, count: 5}]");
    sample("keep[grid].grid", "'1x1h(keep=all) | 24x1h | 14x1d'");
    sample("keep[grid].regex", "'^zrepl_'");
    sample("keep[last_n].count", "10");
    sample("keep[last_n].regex", "'^zrepl_'");
    sample("keep[regex].regex", "'^manual_'");
    sample("keep[regex].negate", "true");
    sample("keep[not_replicated].keep_snapshot_at_cursor", "false");
    sample("keep[not_replicated].targets", "all");
    sample("replication.protection.initial", "guarantee_incremental");
    sample("replication.protection.incremental", "guarantee_nothing");
    sample("replication.concurrency.steps", "3");
    sample("replication.concurrency.size_estimates", "2");
    sample("replication.snapshots.regex", "'^zrepl_'");
    sample("conflict_resolution.initial_replication", "all");
    sample("conflict_resolution.rollback_receiver_snapshots", "'^manual_'");
    for (String flag :
        List.of(
            "encrypted",
            "raw",
            "send_properties",
            "backup_properties",
            "large_blocks",
            "compressed",
            "embedded_data",
            "saved")) {
      sample("send." + flag, "true");
    }
    for (String side : List.of("send", "recv")) {
      sample(side + ".bandwidth_limit.max", "'10 MiB'");
      sample(side + ".bandwidth_limit.bucket_capacity", "'64 KiB'");
    }
    sample("recv.properties.inherit", "[mountpoint]");
    sample("recv.properties.override", "{canmount: 'off'}");
    sample("recv.placeholder.encryption", "inherit");
  }

  private static void sample(String id, String value) {
    SAMPLES.put(id, value);
  }

  static Map<String, ReferenceKeys.Key> reference;
  @TempDir static Path dir;

  @BeforeAll
  static void readReference() throws IOException {
    reference = ReferenceKeys.read();
    Files.writeString(dir.resolve("inc.yml"), "jobs: []\n");
  }

  private static LoadResult load(String yaml) {
    return ConfigLoader.parse("zrepl.yml", yaml, dir);
  }

  private static Stream<ReferenceKeys.Key> withStatus(Status s) {
    return reference.values().stream().filter(k -> k.status() == s);
  }

  @Test
  void theReferenceListsKeysOfEveryStatus() {
    assertThat(reference).hasSizeGreaterThan(100);
    for (Status s : Status.values()) {
      assertThat(withStatus(s)).as("keys marked " + s).isNotEmpty();
    }
  }

  @TestFactory
  Stream<DynamicTest> everyRefusedKeyIsRefusedWhereItIsWritten() {
    return withStatus(Status.REFUSED)
        .map(
            k ->
                DynamicTest.dynamicTest(
                    k.id(),
                    () -> {
                      String value = SAMPLES.get(k.id());
                      assertThat(value).as("sample value for " + k.id()).isNotNull();
                      String yaml = KeyConfigs.with(k.id(), value);
                      LoadResult r = load(yaml);
                      assertThat(r).as(yaml).isInstanceOf(LoadResult.Invalid.class);
                      String key = k.id().substring(k.id().lastIndexOf('.') + 1);
                      List<Diagnostic> refusals =
                          ((LoadResult.Invalid) r)
                              .diagnostics().stream()
                                  .filter(
                                      d ->
                                          d.sourceLine()
                                              .trim()
                                              .replaceFirst("^- ", "")
                                              .startsWith(key + ":"))
                                  .filter(
                                      d -> d.message().matches("(?s).*(refused|not supported).*"))
                                  .toList();
                      assertThat(refusals)
                          .as("a refusal at the line of '%s' in%n%s%ngot %s", key, yaml, r)
                          .hasSize(1);
                      Diagnostic d = refusals.get(0);
                      assertThat(yaml.lines().toList().get(d.line() - 1)).isEqualTo(d.sourceLine());
                      assertThat(d.render()).startsWith("zrepl.yml:" + d.line() + ":");
                      assertThat(d.message())
                          .as("says what to write instead")
                          .containsAnyOf("use ", "remove it", "instead");
                    }));
  }

  @TestFactory
  Stream<DynamicTest> everySupportedOrIgnoredKeyLoads() {
    return reference.values().stream()
        .filter(k -> k.status() == Status.SUPPORTED || k.status() == Status.IGNORED)
        .map(
            k ->
                DynamicTest.dynamicTest(
                    k.id(),
                    () -> {
                      String value = SAMPLES.get(k.id());
                      assertThat(value).as("sample value for " + k.id()).isNotNull();
                      String yaml = KeyConfigs.with(k.id(), value);
                      LoadResult r = load(yaml);
                      if (r instanceof LoadResult.Invalid i) {
                        throw new AssertionError(yaml + "\n" + i.render());
                      }
                    }));
  }

  @Test
  void everyIgnoredKeyIsExplainedInTheDifferences() throws IOException {
    String differences = Files.readString(ReferenceKeys.DIFFERENCES, StandardCharsets.UTF_8);
    assertThat(withStatus(Status.IGNORED).map(ReferenceKeys.Key::id))
        .allSatisfy(id -> assertThat(differences).contains("`" + id + "`"));
  }

  /** The registry: key id to test methods ({@code module/path/Class.java#method}). */
  static Map<String, List<String>> registry() throws IOException {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(REGISTRY, StandardCharsets.UTF_8)) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] parts = l.split("\\s+");
      List<String> tests = out.computeIfAbsent(parts[0], k -> new ArrayList<>());
      tests.addAll(List.of(parts).subList(1, parts.length));
    }
    return out;
  }

  @Test
  void everySupportedKeyHasATestShowingItsEffect() throws IOException {
    Map<String, List<String>> registry = registry();
    List<String> problems = new ArrayList<>();
    withStatus(Status.SUPPORTED)
        .filter(k -> registry.getOrDefault(k.id(), List.of()).isEmpty())
        .forEach(k -> problems.add(k.id() + ": no test registered"));
    registry.forEach(
        (id, tests) -> {
          ReferenceKeys.Key k = reference.get(id);
          if (k == null || k.status() != Status.SUPPORTED) {
            problems.add(id + ": registered, but not a supported key of the reference");
          }
          for (String t : tests) {
            if (!t.startsWith("TODO-MERGE:")) {
              String problem = testMethodProblem(t);
              if (problem != null) {
                problems.add(id + ": " + problem);
              }
            }
          }
        });
    assertThat(problems).isEmpty();
  }

  @Test
  void noKeyAwaitsAMerge() throws IOException {
    List<String> pending = new ArrayList<>();
    registry()
        .forEach(
            (id, tests) ->
                tests.stream()
                    .filter(t -> t.startsWith("TODO-MERGE:"))
                    .forEach(t -> pending.add(id + " (" + t + ")")));
    assertThat(pending)
        .as(
            "keys whose effect another branch shows: replace each TODO-MERGE entry in %s by"
                + " the test that shows it",
            REGISTRY)
        .isEmpty();
  }

  /** Null if {@code ref} ({@code module/.../Class.java#method}) names a test method. */
  static String testMethodProblem(String ref) {
    int hash = ref.indexOf('#');
    if (hash < 0) {
      return "'" + ref + "' is not FILE#method";
    }
    Path file = ReferenceKeys.ROOT.resolve(ref.substring(0, hash));
    String method = ref.substring(hash + 1);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "cannot read " + file + ": " + e;
    }
    Matcher m = Pattern.compile("\\bvoid\\s+" + Pattern.quote(method) + "\\s*\\(").matcher(text);
    if (!m.find()) {
      return "no method " + method + " in " + file;
    }
    // The method's annotations: the lines above it up to the end of the previous member.
    String[] above = text.substring(0, m.start()).split("\n", -1);
    StringBuilder annotations = new StringBuilder(above[above.length - 1]);
    for (int i = above.length - 2; i >= 0; i--) {
      String line = above[i].strip();
      if (!line.startsWith("@")
          && (line.endsWith("}") || line.endsWith(";") || line.endsWith("{"))) {
        break;
      }
      annotations.append('\n').append(line);
    }
    if (!TEST_ANNOTATION.matcher(annotations).find()) {
      return method + " in " + file + " is not annotated as a test";
    }
    return null;
  }

  @Test
  void everyKeyTheLoaderReadsIsInTheReferenceAndViceVersa() {
    Set<String> read = new TreeSet<>();
    Set<String> contexts = new TreeSet<>();
    List<String> configs = new ArrayList<>(KeyConfigs.everyContext().values());
    SAMPLES.forEach((id, value) -> configs.add(KeyConfigs.with(id, value)));
    for (String yaml : configs) {
      Map<String, String> idsByMark = contextIds(yaml);
      List<Map.Entry<MappingNode, Set<String>>> seen = new ArrayList<>();
      ConfigLoader.parse(
          "zrepl.yml",
          yaml,
          dir,
          (node, keys) -> seen.add(Map.entry(node, new LinkedHashSet<>(keys))));
      for (var e : seen) {
        String context = idsByMark.get(mark(e.getKey()));
        assertThat(context).as("a context for the map at " + mark(e.getKey())).isNotNull();
        contexts.add(context);
        boolean typed = context.endsWith("]");
        for (String key : e.getValue()) {
          if (typed && key.equals("type")) {
            continue;
          }
          read.add(context.equals(".") ? key : context + "." + key);
        }
      }
    }
    // Every type of every section was loaded.
    List<String> expectedContexts = new ArrayList<>(List.of("job"));
    TransportParser.CONNECT_TYPES.forEach(t -> expectedContexts.add("connect[" + t + "]"));
    TransportParser.SERVE_TYPES.forEach(t -> expectedContexts.add("serve[" + t + "]"));
    SnapshottingParser.TYPES.forEach(t -> expectedContexts.add("snapshotting[" + t + "]"));
    SnapshottingParser.HOOK_TYPES.forEach(t -> expectedContexts.add("hooks[" + t + "]"));
    PruningParser.RULE_TYPES.forEach(t -> expectedContexts.add("keep[" + t + "]"));
    GlobalParser.OUTLET_TYPES.forEach(t -> expectedContexts.add("global.logging[" + t + "]"));
    expectedContexts.add("global.monitoring[prometheus]");
    assertThat(contexts).containsAll(expectedContexts);

    List<String> undocumented = new ArrayList<>();
    for (String id : read) {
      if (!documented(id) && !underRefusedType(id)) {
        undocumented.add(id);
      }
    }
    assertThat(undocumented).as("keys the loader reads that the reference does not list").isEmpty();

    List<String> unread = new ArrayList<>();
    for (String id : reference.keySet()) {
      boolean selector = id.endsWith("].type");
      if (!selector
          && !read.contains(id)
          && !read.contains(id.replace("[*]", "[stdout]"))
          && !read.contains(id.replace("[*]", "[command]"))
          && !read.contains(id.replace("[*]", "[tcp]"))) {
        unread.add(id);
      }
    }
    assertThat(unread).as("keys in the reference that the loader never reads").isEmpty();
  }

  private static boolean documented(String id) {
    if (reference.containsKey(id)) {
      return true;
    }
    // A section documented through its keys (send.bandwidth_limit -> send.bandwidth_limit.max)
    // or a key common to all types of its section (hooks[*].timeout).
    String common = id.replaceFirst("\\[[^\\]]+\\](?=(\\.[^.\\[\\]]+)+$)", "[*]");
    // A key of a map-valued key that the reference documents as one (logging tcp 'tls').
    for (int dot = id.lastIndexOf('.'); dot > 0; dot = id.lastIndexOf('.', dot - 1)) {
      ReferenceKeys.Key k = reference.get(id.substring(0, dot));
      if (k != null && k.status() != Status.STRUCTURE) {
        return true;
      }
    }
    return reference.containsKey(common)
        || reference.keySet().stream()
            .anyMatch(
                k ->
                    k.startsWith(id + ".") || k.startsWith(id + "[") || k.startsWith(common + "."));
  }

  private static boolean isRefusedType(String id) {
    ReferenceKeys.Key k = reference.get(id);
    return k != null && k.status() == Status.REFUSED && id.endsWith("].type");
  }

  private static boolean underRefusedType(String id) {
    int bracket = id.lastIndexOf(']');
    return bracket > 0 && isRefusedType(id.substring(0, bracket + 1) + ".type");
  }

  private static String mark(Node n) {
    return n.getStartMark().getLine() + ":" + n.getStartMark().getColumn();
  }

  /** The context id of every mapping in {@code yaml}, by its start position. */
  static Map<String, String> contextIds(String yaml) {
    Node root = new Yaml().compose(new StringReader(yaml));
    Map<String, String> out = new HashMap<>();
    walk(root, ".", out);
    return out;
  }

  private static void walk(Node node, String id, Map<String, String> out) {
    if (!(node instanceof MappingNode m)) {
      return;
    }
    out.put(mark(m), id);
    for (NodeTuple t : m.getValue()) {
      String key = ((ScalarNode) t.getKeyNode()).getValue();
      Node v = t.getValueNode();
      String child =
          switch (id) {
            case "." -> key.equals("global") ? "global" : null;
            case "job" ->
                switch (key) {
                  case "connect", "serve", "snapshotting" -> key + "[" + typeOf(v) + "]";
                  default -> key;
                };
            default -> id + "." + key;
          };
      if (id.equals(".") && key.equals("jobs")) {
        ((SequenceNode) v).getValue().forEach(j -> walk(j, "job", out));
      } else if (key.equals("logging") || key.equals("monitoring")) {
        ((SequenceNode) v)
            .getValue()
            .forEach(o -> walk(o, id + "." + key + "[" + typeOf(o) + "]", out));
      } else if (key.equals("hooks")) {
        ((SequenceNode) v).getValue().forEach(h -> walk(h, "hooks[" + typeOf(h) + "]", out));
      } else if (id.equals("pruning") && v instanceof SequenceNode rules) {
        rules.getValue().forEach(r -> walk(r, "keep[" + typeOf(r) + "]", out));
      } else if (child != null) {
        walk(v, child, out);
      }
    }
  }

  private static String typeOf(Node n) {
    if (n instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (((ScalarNode) t.getKeyNode()).getValue().equals("type")) {
          return ((ScalarNode) t.getValueNode()).getValue();
        }
      }
    }
    return "?";
  }
}

package org.zrepl.app.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.zrepl.app.endpoint.LocalReceiver;
import org.zrepl.app.endpoint.LocalSender;
import org.zrepl.app.endpoint.PlaceholderEncryption;
import org.zrepl.app.endpoint.Protection;
import org.zrepl.app.endpoint.Protection.Kind;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.endpoint.Sender;
import org.zrepl.port.zfs.SendFlag;
import org.zrepl.zfs.cli.CliZfs;

/**
 * {@code send.encrypted}, {@code recv.placeholder.encryption} and {@code replication.protection} on
 * real OpenZFS (the guest, see {@link OpenZfsGuest}), through {@link ReplicationEngine} with {@link
 * LocalSender} and {@link LocalReceiver} over {@link CliZfs}.
 */
class OpenZfsEncryptionIT {

  private static final String JOB = "ozenc";
  private static final String KEY = "/root/zrepl-it-encryption.key";
  private static final String STEP = "zrepl_STEP_J_" + JOB;
  private static final String LAST = "zrepl_last_received_J_" + JOB;

  @RegisterExtension static final OpenZfsGuest GUEST = new OpenZfsGuest();

  private static int next;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private CliZfs zfs;
  private DatasetPath src;
  private DatasetPath dst;

  @BeforeEach
  void roots() {
    zfs = new CliZfs(GUEST.launcher());
    next++;
    src = DatasetPath.of(GUEST.source() + "/e" + next);
    dst = DatasetPath.of(GUEST.sink() + "/e" + next);
    GUEST.sh("printf 'zrepl-it-passphrase' > " + KEY);
    GUEST.run("zfs", "create", src.toString());
    GUEST.run("zfs", "create", "-o", "atime=off", dst.toString());
  }

  private DatasetPath encrypted(DatasetPath p) {
    GUEST.run(
        "zfs",
        "create",
        "-o",
        "encryption=on",
        "-o",
        "keyformat=passphrase",
        "-o",
        "keylocation=file://" + KEY,
        p.toString());
    return p;
  }

  private DatasetPath plain(DatasetPath p) {
    GUEST.run("zfs", "create", p.toString());
    return p;
  }

  private void write(DatasetPath fs) {
    GUEST.sh("head -c 200000 /dev/urandom > /mnt/" + fs + "/data && sync");
  }

  private String get(DatasetPath fs, String prop) {
    return GUEST.run("zfs", "get", "-H", "-o", "value", prop, fs.toString()).strip();
  }

  private boolean exists(DatasetPath fs) {
    return !GUEST.sh("zfs list -H -o name " + fs + " 2>/dev/null || true").isBlank();
  }

  private ReplicationReport run(Sender sender, LocalReceiver receiver, int attempts) {
    return new ReplicationEngine(clock, clock::sleep)
        .run(
            sender,
            receiver,
            ReplicationPolicy.defaults().withMaxAttempts(attempts),
            ProgressListener.none());
  }

  private LocalReceiver receiver(DatasetPath root, PlaceholderEncryption e) {
    return new LocalReceiver(
        zfs,
        s -> Optional.of(root.append(s.trimPrefix(src))),
        JOB,
        Map.of(),
        Set.of(),
        e,
        Optional.empty());
  }

  private DatasetFilter below(String... children) {
    Map<String, String> rules = new java.util.LinkedHashMap<>();
    for (String c : children) {
      rules.put(src + "/" + c, "ok");
    }
    return DatasetFilter.of(rules);
  }

  @Test
  void encryptedSendsTheEncryptedFilesystemRawAndNothingOfThePlaintextOne() {
    DatasetPath secret = encrypted(src.child("secret"));
    DatasetPath open = plain(src.child("open"));
    write(secret);
    write(open);
    zfs.snapshot(List.of(secret, open), "s1");
    LocalSender sender =
        new LocalSender(zfs, below("secret", "open"), JOB, Set.of(SendFlag.RAW), true);

    ReplicationReport report = run(sender, receiver(dst, PlaceholderEncryption.INHERIT), 1);

    assertThat(report.result(secret).orElseThrow())
        .as(report.describe())
        .isInstanceOf(FilesystemResult.Ok.class);
    DatasetPath secretCopy = dst.child("secret");
    assertThat(get(secretCopy, "encryption")).isEqualTo(get(secret, "encryption"));
    assertThat(get(secretCopy, "keystatus"))
        .as("raw: the receiver has the ciphertext, not the key")
        .isEqualTo("unavailable");
    assertThat(get(secretCopy, "encryptionroot")).isEqualTo(secretCopy.toString());
    FilesystemResult refused = report.result(open).orElseThrow();
    assertThat(refused).isInstanceOf(FilesystemResult.Failed.class);
    assertThat(refused.describe())
        .contains(open.toString())
        .contains("send.encrypted")
        .contains("not encrypted");
    assertThat(exists(dst.child("open"))).as("nothing of the plaintext filesystem").isFalse();
    assertThat(GUEST.sh("zfs holds -H " + open + "@s1")).doesNotContain(STEP);
  }

  @Test
  void placeholderEncryptionBelowAnEncryptedReceivingRoot() {
    DatasetPath root = encrypted(dst.child("enc"));
    DatasetPath b = plain(src.child("a")).child("b");
    plain(b);
    write(b);
    zfs.snapshot(List.of(b), "s1");
    Sender sender = new LocalSender(zfs, below("a/b"), JOB, Set.of());

    ReplicationReport refused = run(sender, receiver(root, PlaceholderEncryption.UNSPECIFIED), 1);

    assertThat(refused.result(b).orElseThrow().describe())
        .contains("cannot create placeholder filesystem " + root.child("a"))
        .contains("placeholder filesystem encryption handling is unspecified in receiver config");
    assertThat(exists(root.child("a"))).isFalse();

    ReplicationReport off = run(sender, receiver(root, PlaceholderEncryption.OFF), 1);

    assertThat(off.isSuccess()).as(off.describe()).isTrue();
    assertThat(get(root.child("a"), "encryption")).isEqualTo("off");
    assertThat(get(root.child("a"), "zrepl:placeholder")).isEqualTo("on");
    assertThat(get(root.child("a").child("b"), "encryption"))
        .as("plaintext received below an unencrypted placeholder")
        .isEqualTo("off");

    // start over without placeholders; the replica's snapshot carries the last-received hold
    GUEST.run("zfs", "release", LAST, root.child("a").child("b") + "@s1");
    GUEST.run("zfs", "destroy", "-r", root.child("a").toString());
    ReplicationReport inherit = run(sender, receiver(root, PlaceholderEncryption.INHERIT), 1);

    assertThat(inherit.isSuccess()).as(inherit.describe()).isTrue();
    assertThat(get(root.child("a"), "encryption")).isNotEqualTo("off");
    assertThat(get(root.child("a"), "encryptionroot")).isEqualTo(root.toString());
    assertThat(get(root.child("a").child("b"), "encryptionroot"))
        .as("plaintext received below an inheriting placeholder is encrypted with root's key")
        .isEqualTo(root.toString());
  }

  /** Our holds on {@code fs}'s snapshots, as {@code @snap=tag}. */
  private Set<String> holds(DatasetPath fs) {
    Set<String> out = new TreeSet<>();
    String snaps = GUEST.sh("zfs list -H -t snapshot -o name -d 1 " + fs + " 2>/dev/null || true");
    for (String s : snaps.split("\n", 0)) {
      if (s.isBlank()) {
        continue;
      }
      for (String line : GUEST.run("zfs", "holds", "-H", s.strip()).split("\n", 0)) {
        String[] f = line.split("\t", 0);
        if (f.length >= 2 && f[1].startsWith("zrepl_")) {
          out.add(f[0].substring(f[0].indexOf('@')) + "=" + f[1]);
        }
      }
    }
    return out;
  }

  /** Bookmarks of {@code fs} with the guid replaced by the snapshot's name. */
  private Set<String> bookmarks(DatasetPath fs) {
    Set<String> out = new TreeSet<>();
    Map<String, String> snapByGuid = new java.util.HashMap<>();
    for (String l :
        GUEST
            .run(
                "zfs",
                "list",
                "-H",
                "-p",
                "-t",
                "snapshot",
                "-o",
                "name,guid",
                "-d",
                "1",
                fs.toString())
            .split("\n", 0)) {
      String[] f = l.split("\t", 0);
      if (f.length == 2) {
        snapByGuid.put(
            String.format("%016x", Long.parseUnsignedLong(f[1].strip())),
            f[0].substring(f[0].indexOf('@') + 1));
      }
    }
    String list = GUEST.sh("zfs list -H -t bookmark -o name -d 1 " + fs + " 2>/dev/null || true");
    for (String b : list.split("\n", 0)) {
      if (b.isBlank()) {
        continue;
      }
      String name = b.strip().substring(b.strip().indexOf('#') + 1);
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("_G_([0-9a-f]{16})_").matcher(name);
      out.add(
          m.find()
              ? m.replaceFirst("_G_<" + snapByGuid.getOrDefault(m.group(1), "?") + ">_")
              : name);
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void protectionOfAnInterruptedIncrementalStep(Kind mode) {
    DatasetPath a = plain(src.child("a"));
    DatasetPath copy = dst.child("a");
    write(a);
    zfs.snapshot(List.of(a), "s1");
    Protection p = new Protection(Kind.RESUMABILITY, mode);
    LocalSender sender = new LocalSender(zfs, below("a"), JOB, Set.of(), false, p);
    assertThat(
            run(sender, receiver(dst, PlaceholderEncryption.INHERIT).protectedBy(p), 1).isSuccess())
        .isTrue();
    write(a);
    zfs.snapshot(List.of(a), "s2");

    ReplicationReport cut =
        run(
            new TruncatingSender(sender, 50_000),
            receiver(dst, PlaceholderEncryption.INHERIT).protectedBy(p),
            1);

    assertThat(cut.isSuccess()).isFalse();
    assertThat(get(copy, "receive_resume_token")).startsWith("1-");
    List<String> expectHolds = new ArrayList<>();
    Set<String> expectBookmarks = new TreeSet<>(Set.of("zrepl_CURSOR_G_<s1>_J_" + JOB));
    switch (mode) {
      case RESUMABILITY -> expectHolds.addAll(List.of("@s1=" + STEP, "@s2=" + STEP));
      case INCREMENTAL ->
          expectBookmarks.addAll(
              Set.of(
                  "zrepl_CURSORTENTATIVE_G_<s1>_J_" + JOB,
                  "zrepl_CURSORTENTATIVE_G_<s2>_J_" + JOB));
      case NOTHING -> {}
    }
    assertThat(holds(a))
        .as("sender holds after the cut")
        .containsExactlyInAnyOrderElementsOf(expectHolds);
    assertThat(bookmarks(a)).as("sender bookmarks after the cut").isEqualTo(expectBookmarks);
    assertThat(holds(copy)).containsExactly("@s1=" + LAST);

    ReplicationReport next =
        run(sender, receiver(dst, PlaceholderEncryption.INHERIT).protectedBy(p), 1);

    assertThat(next.isSuccess()).as(next.describe()).isTrue();
    assertThat(holds(a)).isEmpty();
    assertThat(bookmarks(a))
        .isEqualTo(mode == Kind.NOTHING ? Set.of() : Set.of("zrepl_CURSOR_G_<s2>_J_" + JOB));
    assertThat(holds(copy)).isEqualTo(mode == Kind.NOTHING ? Set.of() : Set.of("@s2=" + LAST));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void protectionOfAnInterruptedInitialStep(Kind mode) {
    DatasetPath a = plain(src.child("a"));
    DatasetPath copy = dst.child("a");
    write(a);
    zfs.snapshot(List.of(a), "s1");
    Protection p = new Protection(mode, Kind.RESUMABILITY);
    LocalSender sender = new LocalSender(zfs, below("a"), JOB, Set.of(), false, p);

    ReplicationReport cut =
        run(
            new TruncatingSender(sender, 50_000),
            receiver(dst, PlaceholderEncryption.INHERIT).protectedBy(p),
            1);

    assertThat(cut.isSuccess()).isFalse();
    assertThat(holds(a)).isEqualTo(mode == Kind.RESUMABILITY ? Set.of("@s1=" + STEP) : Set.of());
    assertThat(bookmarks(a))
        .isEqualTo(
            mode == Kind.INCREMENTAL ? Set.of("zrepl_CURSORTENTATIVE_G_<s1>_J_" + JOB) : Set.of());

    ReplicationReport next =
        run(sender, receiver(dst, PlaceholderEncryption.INHERIT).protectedBy(p), 1);

    assertThat(next.isSuccess()).as(next.describe()).isTrue();
    assertThat(holds(a)).isEmpty();
    assertThat(bookmarks(a))
        .isEqualTo(mode == Kind.NOTHING ? Set.of() : Set.of("zrepl_CURSOR_G_<s1>_J_" + JOB));
    // the resumed full receive finds the partially received filesystem: like zrepl, the
    // receiver then applies the incremental mode (guarantee_resumability) and holds s1
    assertThat(holds(copy)).isEqualTo(Set.of("@s1=" + LAST));
  }
}

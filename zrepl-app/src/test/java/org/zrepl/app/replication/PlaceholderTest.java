package org.zrepl.app.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.zrepl.app.replication.FakeWorld.filter;
import static org.zrepl.app.replication.FakeWorld.p;
import static org.zrepl.app.replication.FakeWorld.target;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.Property;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.port.zfs.ZfsException;

/** Placeholders become replicas when their filesystem's own data arrives. */
class PlaceholderTest {

  static Stream<ZfsCapabilities> presets() {
    return Stream.of(ZfsCapabilities.zfsFuse(), ZfsCapabilities.openZfs21());
  }

  private static Map<String, Property> placeholderProps(FakeWorld w, DatasetPath fs) {
    return w.zfs.getProperties(fs.toString(), Set.of("zrepl:placeholder", "canmount"));
  }

  /**
   * Only on the OpenZFS preset: the fake's zfs-fuse preset refuses {@code recv -F} over any
   * existing filesystem, while real zfs-fuse accepts it over an unmounted ({@code canmount=off})
   * placeholder, as {@code ReplicationIT} shows.
   */
  @Test
  void placeholderWithChildrenIsPromotedByRecvForce() {
    FakeWorld w = new FakeWorld(ZfsCapabilities.openZfs21());
    DatasetPath b = w.fs("src/a/b");
    DatasetPath c = w.fs("src/a/b/c");
    w.snapshot("s1", b, c);
    assertThat(w.run(filter("src/a/b/c")).isSuccess()).isTrue();
    assertThat(placeholderProps(w, target(b)).get("zrepl:placeholder"))
        .isEqualTo(Property.local("on"));

    ReplicationReport report = w.run(filter("src/a/b", "src/a/b/c"));

    assertThat(report.isSuccess()).as(report.describe()).isTrue();
    assertThat(placeholderProps(w, target(b)).get("zrepl:placeholder").source())
        .as("only inherited from the placeholder dst/src, so not a placeholder")
        .isEqualTo(Property.Source.INHERITED);
    assertThat(placeholderProps(w, target(b)).get("canmount").value()).isEqualTo("on");
    assertThat(w.snapshotNames(target(b))).containsExactly("s1");
    assertThat(w.read(target(b))).isEqualTo("src/a/b");
    assertThat(w.snapshotNames(target(c))).containsExactly("s1");
    w.assertOnlyLastReceivedHolds(target(b), target(c));
  }

  @ParameterizedTest
  @MethodSource("presets")
  void failedPromotionOfAPlaceholderWithChildrenSaysWhatToDoAndKeepsTheChildren(
      ZfsCapabilities caps) {
    FakeWorld w = new FakeWorld(caps);
    DatasetPath b = w.fs("src/a/b");
    DatasetPath c = w.fs("src/a/b/c");
    w.snapshot("s1", b, c);
    w.run(filter("src/a/b/c"));
    w.zfs.failNext(
        "recv",
        new ZfsException(
            List.of("zfs", "recv", "-F", "dst/src/a/b"), 1, "cannot receive: I/O error"));

    ReplicationReport report = w.run(filter("src/a/b", "src/a/b/c"));

    FilesystemResult r = report.result(b).orElseThrow();
    assertThat(r).isInstanceOf(FilesystemResult.Failed.class);
    assertThat(r.describe())
        .contains("placeholder dst/src/a/b", "has children", caps.flavour(), "I/O error");
    assertThat(((FilesystemResult.Failed) r).temporary()).isFalse();
    assertThat(placeholderProps(w, target(b)).get("zrepl:placeholder"))
        .isEqualTo(Property.local("on"));
    assertThat(w.snapshotNames(target(c))).containsExactly("s1");
    w.assertOnlyLastReceivedHolds(target(c));
  }

  @ParameterizedTest
  @MethodSource("presets")
  void placeholderWithoutChildrenIsReplacedEverywhere(ZfsCapabilities caps) {
    FakeWorld w = new FakeWorld(caps);
    DatasetPath b = w.fs("src/a/b");
    DatasetPath c = w.fs("src/a/b/c");
    w.snapshot("s1", b, c);
    w.run(filter("src/a/b/c"));
    // the receiver's admin removed the child
    if (caps.holds()) {
      w.zfs.release(target(c), "s1", "zrepl_last_received_J_job");
    }
    w.zfs.destroyDataset(target(c), true);

    ReplicationReport report = w.run(filter("src/a/b"));

    assertThat(report.isSuccess()).as(report.describe()).isTrue();
    assertThat(placeholderProps(w, target(b)).get("zrepl:placeholder").source())
        .isEqualTo(Property.Source.INHERITED);
    assertThat(placeholderProps(w, target(b)).get("canmount"))
        .isEqualTo(new Property("on", Property.Source.DEFAULT));
    assertThat(w.read(target(b))).isEqualTo("src/a/b");
    w.assertOnlyLastReceivedHolds(target(b));
  }

  @ParameterizedTest
  @MethodSource("presets")
  void senderPlaceholdersAreNotSentButTheirChildrenAre(ZfsCapabilities caps) {
    FakeWorld w = new FakeWorld(caps);
    w.zfs.createFilesystem(p("src/ph"), Map.of("zrepl:placeholder", "on"), false);
    DatasetPath child = w.fs("src/ph/child");
    w.snapshot("s1", child);

    ReplicationReport report = w.run(filter("src/ph<"));

    assertThat(report.isSuccess()).as(report.describe()).isTrue();
    assertThat(report.result(p("src/ph")).orElseThrow().describe()).contains("placeholder");
    assertThat(placeholderProps(w, p("dst/src/ph")).get("zrepl:placeholder"))
        .isEqualTo(Property.local("on"));
    assertThat(w.snapshotNames(target(child))).containsExactly("s1");
  }
}

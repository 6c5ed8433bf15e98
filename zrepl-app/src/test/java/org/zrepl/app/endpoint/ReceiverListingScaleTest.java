package org.zrepl.app.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.endpoint.ReceiverFilesystem;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

/** {@code listFilesystems} of tens of thousands of names is one listing and linear work. */
class ReceiverListingScaleTest {

  private static InMemoryZfs fake(ZfsCapabilities caps) {
    return new InMemoryZfs(
        caps, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), 3);
  }

  @Test
  void fortyThousandNamesInOneListing() {
    InMemoryZfs zfs = fake(ZfsCapabilities.openZfs21());
    zfs.createPool("dst");
    LocalReceiver receiver =
        new LocalReceiver(zfs, s -> Optional.of(DatasetPath.of("dst").append(s.components())), "j");
    List<DatasetPath> names = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      names.add(DatasetPath.of("src/p" + i));
      for (int j = 0; j < 199; j++) {
        names.add(DatasetPath.of("src/p" + i + "/c" + j));
      }
    }
    int lists = zfs.processesStarted("list");
    long t0 = System.nanoTime();

    Map<DatasetPath, ReceiverFilesystem> m = receiver.listFilesystems(names);

    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(m).hasSize(40_000);
    assertThat(m.values()).noneMatch(ReceiverFilesystem::exists);
    // 200 missing topmost targets fall back to one listing of their pool
    assertThat(zfs.processesStarted("list") - lists).isLessThanOrEqualTo(2);
    // quadratic covering (40,000^2 prefix checks) took minutes; linear takes well under a second
    assertThat(took).as("listing 40,000 names").isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void aMissingTargetRootIsNotAnsweredByListingItsWholePool() {
    InMemoryZfs zfs = fake(ZfsCapabilities.zfsFuse());
    zfs.createPool("dst");
    for (int i = 0; i < 50; i++) {
      zfs.createFilesystem(DatasetPath.of("dst/other" + i), Map.of(), false);
    }
    zfs.createFilesystem(DatasetPath.of("dst/b"), Map.of(), false);
    zfs.createFilesystem(DatasetPath.of("dst/b/x"), Map.of(), false);
    LocalReceiver receiver =
        new LocalReceiver(zfs, s -> Optional.of(DatasetPath.of("dst/" + s)), "j");
    int before = zfs.commandsStarted().size();

    Map<DatasetPath, ReceiverFilesystem> m =
        receiver.listFilesystems(List.of(DatasetPath.of("a/x"), DatasetPath.of("b/x")));

    assertThat(m.get(DatasetPath.of("a/x")).exists()).isFalse();
    assertThat(m.get(DatasetPath.of("b/x")).exists()).isTrue();
    List<List<String>> commands =
        zfs.commandsStarted().subList(before, zfs.commandsStarted().size());
    assertThat(commands)
        .as("the pool dst (50 other filesystems) is not listed")
        .noneMatch(argv -> argv.get(argv.size() - 1).equals("dst"));
  }
}

package org.zrepl.app.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.zrepl.domain.dataset.DatasetFilter;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.endpoint.SenderFilesystem;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

/**
 * zrepl's {@code zrepl_zfs_list_unmatched_user_specified_dataset_count}: every listing a filter is
 * evaluated against adds the number of rules naming a dataset that is not there. The counts are
 * process-wide, so each test uses its own job name and compares before and after.
 */
class UnmatchedFilterRulesTest {

  private final InMemoryZfs zfs =
      new InMemoryZfs(
          ZfsCapabilities.openZfs21(),
          Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
          5);

  UnmatchedFilterRulesTest() {
    zfs.createPool("src");
    zfs.createFilesystem(DatasetPath.of("src/a"), Map.of(), false);
    zfs.createFilesystem(DatasetPath.of("src/a/b"), Map.of(), false);
  }

  private static long count(String job) {
    return UnmatchedFilterRules.counts().getOrDefault(job, 0L);
  }

  private static DatasetFilter filter(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return DatasetFilter.of(m);
  }

  @Test
  void aSendersListingCountsTheRulesNamingNoExistingDatasetOnEveryListing() {
    // "src/typo" (included) and "src/gone<" (excluded) name nothing that exists
    LocalSender sender =
        new LocalSender(
            zfs,
            filter("src/a<", "ok", "src/typo", "ok", "src/gone<", "!"),
            "unmatched-sender",
            Set.of());

    List<SenderFilesystem> listed = sender.listFilesystems();

    assertThat(listed).extracting(f -> f.path().toString()).containsExactly("src/a", "src/a/b");
    assertThat(count("unmatched-sender")).isEqualTo(2);
    sender.listFilesystems();
    assertThat(count("unmatched-sender")).as("it grows on every listing").isEqualTo(4);
  }

  @Test
  void aFilterWhoseRulesAllNameExistingDatasetsShowsZero() {
    LocalSender sender =
        new LocalSender(
            zfs, filter("src/a<", "ok", "src/a/b", "!"), "unmatched-all-found", Set.of());

    assertThat(sender.listFilesystems())
        .extracting(f -> f.path().toString())
        .containsExactly("src/a");
    assertThat(UnmatchedFilterRules.counts()).containsEntry("unmatched-all-found", 0L);
  }

  @Test
  void aRuleNamingADatasetCreatedLaterStopsCounting() {
    LocalSender sender =
        new LocalSender(zfs, filter("src/later", "ok"), "unmatched-later", Set.of());
    sender.listFilesystems();
    zfs.createFilesystem(DatasetPath.of("src/later"), Map.of(), false);
    sender.listFilesystems();

    assertThat(count("unmatched-later")).isEqualTo(1);
  }

  @Test
  void outsideAJobTheLabelIsNoJob() {
    long before = count(UnmatchedFilterRules.NO_JOB);
    List<DatasetPath> selected =
        UnmatchedFilterRules.select(
            filter("p/x", "ok", "p/y", "ok"), List.of(DatasetPath.of("p/x")), "");

    assertThat(selected).containsExactly(DatasetPath.of("p/x"));
    assertThat(count(UnmatchedFilterRules.NO_JOB) - before).isEqualTo(1);
  }
}

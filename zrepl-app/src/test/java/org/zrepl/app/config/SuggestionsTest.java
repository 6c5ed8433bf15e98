package org.zrepl.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuggestionsTest {

  @ParameterizedTest
  @CsvSource({
    "keep_sender, keep_sender, 0",
    "keep_senderr, keep_sender, 1",
    "kep_sender, keep_sender, 1",
    "jbos, jobs, 1",
    "interval, intervall, 1",
    "abc, xyz, 3",
    "'', abc, 3",
  })
  void distanceCountsSwapsAsOneEdit(String a, String b, int distance) {
    assertThat(Suggestions.distance(a, b)).isEqualTo(distance);
    assertThat(Suggestions.distance(b, a)).isEqualTo(distance);
  }

  @Test
  void suggestsTheClosestKnownWordWhenCloseEnough() {
    List<String> keys = List.of("keep_sender", "keep_receiver");

    assertThat(Suggestions.didYouMean("keep_senderr", keys))
        .isEqualTo(" (did you mean 'keep_sender'?)");
    assertThat(Suggestions.didYouMean("keep_reciever", keys))
        .isEqualTo(" (did you mean 'keep_receiver'?)");
    assertThat(Suggestions.didYouMean("prune", keys)).isEmpty();
  }

  @Test
  void shortWordsNeedAnAlmostExactMatch() {
    assertThat(Suggestions.closest("tpye", List.of("type"))).contains("type");
    assertThat(Suggestions.closest("ab", List.of("type"))).isEmpty();
  }
}

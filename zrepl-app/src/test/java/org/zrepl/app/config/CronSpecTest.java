package org.zrepl.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CronSpecTest {

  static final ZonedDateTime T = ZonedDateTime.parse("2026-03-04T10:20:30Z");

  @Test
  void fiveFieldsStartAtMinutes() {
    assertThat(CronSpec.parse("0 3 * * *").next(T))
        .contains(ZonedDateTime.parse("2026-03-05T03:00:00Z"));
  }

  @Test
  void sixFieldsStartAtSeconds() {
    assertThat(CronSpec.parse("15 */10 * * * *").next(T))
        .contains(ZonedDateTime.parse("2026-03-04T10:30:15Z"));
  }

  @Test
  void dayOfWeekZeroIsSunday() {
    // 2026-03-04 is a Wednesday; the next Sunday is the 8th.
    assertThat(CronSpec.parse("0 0 * * 0").next(T))
        .contains(ZonedDateTime.parse("2026-03-08T00:00:00Z"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0 3 * *", "0 0 3 * * * *", "", "61 * * * *", "* 24 * * *", "@daily"})
  void rejectsWhatRobfigCronRejects(String spec) {
    assertThatThrownBy(() -> CronSpec.parse(spec)).isInstanceOf(IllegalArgumentException.class);
  }
}

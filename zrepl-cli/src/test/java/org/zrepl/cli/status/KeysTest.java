package org.zrepl.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeysTest {

  private static final List<String> JOBS = List.of("a", "b", "c");

  private static UiState press(UiState s, String... keys) {
    for (String k : keys) {
      s = Keys.apply(s, k, JOBS, 10).state();
    }
    return s;
  }

  @Test
  void decodesArrowsPagesEnterEscapeAndCharacters() {
    assertThat(Keys.decode("\033[A")).contains(Keys.UP);
    assertThat(Keys.decode("\033OB")).contains(Keys.DOWN);
    assertThat(Keys.decode("\033[6~")).contains(Keys.PAGE_DOWN);
    assertThat(Keys.decode("\r")).contains(Keys.ENTER);
    assertThat(Keys.decode("\033")).contains(Keys.ESC);
    assertThat(Keys.decode("\003")).contains(Keys.CTRL_C);
    assertThat(Keys.decode("j")).contains("j");
    assertThat(Keys.decode("\033[15~")).isEmpty();
  }

  @Test
  void jAndKAndArrowsSwitchJobsAndWrapAround() {
    UiState s = UiState.initial(Optional.empty());
    assertThat(Keys.selected(s, JOBS)).isEqualTo("a");
    assertThat(press(s, "j").job()).isEqualTo("b");
    assertThat(press(s, Keys.DOWN, Keys.DOWN).job()).isEqualTo("c");
    assertThat(press(s, "k").job()).isEqualTo("c");
    assertThat(press(s, "j", Keys.UP).job()).isEqualTo("a");
  }

  @Test
  void slashTypesAFilterEnterAppliesEscCancelsOrClears() {
    UiState s = press(UiState.initial(Optional.empty()), "/", "p", "/", "x", Keys.BACKSPACE, "b");
    assertThat(s.editing()).isTrue();
    assertThat(s.input()).isEqualTo("p/b");
    assertThat(s.filter()).isEmpty();
    UiState applied = press(s, Keys.ENTER);
    assertThat(applied.filter()).isEqualTo("p/b");
    assertThat(applied.editing()).isFalse();
    assertThat(press(applied, "/", "z", Keys.ESC).filter()).isEqualTo("p/b");
    assertThat(press(applied, Keys.ESC).filter()).isEmpty();
    // q while typing is a letter, not quit
    assertThat(Keys.apply(press(s), "q", JOBS, 10).action()).isInstanceOf(Keys.Redraw.class);
  }

  @Test
  void anInvalidRegexIsRefusedWithItsReasonAndKeepsEditing() {
    UiState s = press(UiState.initial(Optional.empty()), "/", "(", Keys.ENTER);
    assertThat(s.editing()).isTrue();
    assertThat(s.filter()).isEmpty();
    assertThat(s.message()).startsWith("not a regular expression: ");
  }

  @Test
  void wTogglesWrap() {
    assertThat(press(UiState.initial(Optional.empty()), "w").wrap()).isTrue();
    assertThat(press(UiState.initial(Optional.empty()), "w", "w").wrap()).isFalse();
  }

  @Test
  void theMenuSendsTheChosenSignalToTheSelectedJob() {
    UiState s = press(UiState.initial(Optional.empty()), "j", "s", "j", "j");
    assertThat(s.menu()).isEqualTo(2);
    Keys.Outcome o = Keys.apply(s, Keys.ENTER, JOBS, 10);
    assertThat(o.action()).isEqualTo(new Keys.Signal("snapshot", "b"));
    assertThat(o.state().menuOpen()).isFalse();
    assertThat(o.state().message()).isEqualTo("sending snapshot to b ...");
  }

  @Test
  void cancelAndEscCloseTheMenuWithoutASignal() {
    UiState open = press(UiState.initial(Optional.empty()), Keys.ENTER);
    assertThat(open.menuOpen()).isTrue();
    assertThat(Keys.apply(open, Keys.ESC, JOBS, 10).action()).isInstanceOf(Keys.Redraw.class);
    UiState onCancel = press(open, "k");
    assertThat(UiState.MENU.get(onCancel.menu())).isEqualTo("cancel");
    Keys.Outcome o = Keys.apply(onCancel, Keys.ENTER, JOBS, 10);
    assertThat(o.action()).isInstanceOf(Keys.Redraw.class);
    assertThat(o.state().menuOpen()).isFalse();
  }

  @Test
  void qAndCtrlCQuitEverywhere() {
    assertThat(Keys.apply(UiState.initial(Optional.empty()), "q", JOBS, 10).action())
        .isInstanceOf(Keys.Quit.class);
    UiState editing = press(UiState.initial(Optional.empty()), "/");
    assertThat(Keys.apply(editing, Keys.CTRL_C, JOBS, 10).action()).isInstanceOf(Keys.Quit.class);
  }

  @Test
  void pagesScrollTheDetailPaneNeverBelowZero() {
    assertThat(press(UiState.initial(Optional.empty()), Keys.PAGE_DOWN, " ").scroll())
        .isEqualTo(20);
    assertThat(press(UiState.initial(Optional.empty()), Keys.PAGE_UP).scroll()).isZero();
  }
}

package org.zrepl.cli.status;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What the operator chose in the interactive view, independent of what the daemon reports.
 *
 * @param job the selected job's name; empty selects the first job shown
 * @param onlyJob {@code --job}: show only {@link #job}
 * @param filter a regular expression over filesystem names (found anywhere in the name); empty
 *     shows all
 * @param editing whether the filter line is being typed ({@code /})
 * @param input the filter being typed
 * @param wrap wrap long lines at word boundaries instead of cutting them with an ellipsis
 * @param menu the highlighted entry of the signal menu, -1 when the menu is closed
 * @param scroll the first line of the detail pane shown
 * @param message one line for the operator: the daemon's answer to a signal, a bad filter
 */
public record UiState(
    String job,
    boolean onlyJob,
    String filter,
    boolean editing,
    String input,
    boolean wrap,
    int menu,
    int scroll,
    String message) {

  /** The signal menu's entries, in order; the last one closes the menu. */
  static final List<String> MENU = List.of("wakeup", "reset", "snapshot", "cancel");

  public UiState {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(message, "message");
    if (menu < -1 || menu >= MENU.size()) {
      throw new IllegalArgumentException("menu must be -1.." + (MENU.size() - 1) + ", got " + menu);
    }
    if (scroll < 0) {
      throw new IllegalArgumentException("scroll must not be negative, got " + scroll);
    }
  }

  /** The start: the given job (or the first), no filter, no wrapping. */
  public static UiState initial(Optional<String> job) {
    return new UiState(job.orElse(""), job.isPresent(), "", false, "", false, -1, 0, "");
  }

  boolean menuOpen() {
    return menu >= 0;
  }

  Optional<Pattern> pattern() {
    if (filter.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Pattern.compile(filter));
    } catch (PatternSyntaxException e) {
      return Optional.empty(); // Keys never stores an invalid filter; a safe default all the same
    }
  }

  UiState withJob(String j) {
    return new UiState(j, onlyJob, filter, editing, input, wrap, menu, 0, message);
  }

  UiState withFilter(String f, boolean ed, String in, String msg) {
    return new UiState(job, onlyJob, f, ed, in, wrap, menu, 0, msg);
  }

  UiState withWrap(boolean w) {
    return new UiState(job, onlyJob, filter, editing, input, w, menu, scroll, message);
  }

  UiState withMenu(int m) {
    return new UiState(job, onlyJob, filter, editing, input, wrap, m, scroll, message);
  }

  UiState withScroll(int s) {
    return new UiState(job, onlyJob, filter, editing, input, wrap, menu, Math.max(0, s), message);
  }

  /** With the given message (a signal's answer). */
  public UiState withMessage(String m) {
    return new UiState(job, onlyJob, filter, editing, input, wrap, menu, scroll, m);
  }
}

package org.zrepl.cli.status;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The keys of the interactive view, as a pure function from (state, key, jobs shown) to the next
 * state and what to do: nothing, quit, or send a signal to a job.
 *
 * <p>Keys: up/down or k/j switch job, PgUp/PgDn (or space) scroll the detail pane, {@code /} types
 * a filter (Enter applies, Esc cancels; Esc outside clears it), {@code w} toggles wrapping, {@code
 * s} or Enter opens the signal menu (up/down, Enter sends, Esc closes), {@code q} or Ctrl-C quits.
 */
public final class Keys {

  private Keys() {}

  /** Named keys; any other key is its character. */
  public static final String UP = "up";

  public static final String DOWN = "down";
  public static final String PAGE_UP = "pgup";
  public static final String PAGE_DOWN = "pgdn";
  public static final String ENTER = "enter";
  public static final String ESC = "esc";
  public static final String BACKSPACE = "backspace";
  public static final String CTRL_C = "ctrl-c";

  /** What the shell does after a key. */
  public sealed interface Action {}

  /** Nothing but redraw. */
  public record Redraw() implements Action {}

  /** Restore the terminal and exit. */
  public record Quit() implements Action {}

  /** Send {@code signal} to {@code job} and show the daemon's answer. */
  public record Signal(String signal, String job) implements Action {}

  /** The next state and the action. */
  public record Outcome(UiState state, Action action) {}

  /**
   * A key read from the terminal as escape sequence or character: {@code "\033[A"} is {@link #UP},
   * {@code "\r"} {@link #ENTER}, {@code "x"} is {@code "x"}; unknown sequences are empty.
   */
  public static Optional<String> decode(String seq) {
    return switch (seq) {
      case "\033[A", "\033OA" -> Optional.of(UP);
      case "\033[B", "\033OB" -> Optional.of(DOWN);
      case "\033[5~" -> Optional.of(PAGE_UP);
      case "\033[6~" -> Optional.of(PAGE_DOWN);
      case "\r", "\n" -> Optional.of(ENTER);
      case "\033" -> Optional.of(ESC);
      case "\177", "\b" -> Optional.of(BACKSPACE);
      case "\003" -> Optional.of(CTRL_C);
      default ->
          seq.length() == 1 && !Character.isISOControl(seq.charAt(0))
              ? Optional.of(seq)
              : Optional.empty();
    };
  }

  /**
   * What {@code key} does in state {@code s}: the next state and what the view must do.
   *
   * @param jobs the names of the jobs shown, in order
   * @param pageLines how many lines PgUp/PgDn scroll
   */
  public static Outcome apply(UiState s, String key, List<String> jobs, int pageLines) {
    if (key.equals(CTRL_C)) {
      return new Outcome(s, new Quit());
    }
    if (s.editing()) {
      return filterKey(s, key);
    }
    if (s.menuOpen()) {
      return menuKey(s, key, jobs);
    }
    String current = selected(s, jobs);
    return switch (key) {
      case "q" -> new Outcome(s, new Quit());
      case UP, "k" -> redraw(s.withJob(neighbour(jobs, current, -1)));
      case DOWN, "j" -> redraw(s.withJob(neighbour(jobs, current, +1)));
      case PAGE_DOWN, " " -> redraw(s.withScroll(s.scroll() + pageLines));
      case PAGE_UP -> redraw(s.withScroll(s.scroll() - pageLines));
      case "/" -> redraw(s.withFilter(s.filter(), true, s.filter(), ""));
      case ESC -> redraw(s.withFilter("", false, "", ""));
      case "w" -> redraw(s.withWrap(!s.wrap()));
      case "s", ENTER -> current.isEmpty() ? redraw(s) : redraw(s.withJob(current).withMenu(0));
      default -> redraw(s);
    };
  }

  /** The selected job among those shown: the chosen one if shown, else the first, else empty. */
  public static String selected(UiState s, List<String> jobs) {
    if (jobs.contains(s.job())) {
      return s.job();
    }
    return jobs.isEmpty() ? "" : jobs.get(0);
  }

  private static Outcome filterKey(UiState s, String key) {
    return switch (key) {
      case ESC -> redraw(s.withFilter(s.filter(), false, "", ""));
      case ENTER -> {
        try {
          Pattern.compile(s.input());
          yield redraw(s.withFilter(s.input(), false, "", ""));
        } catch (PatternSyntaxException e) {
          yield redraw(
              s.withFilter(
                  s.filter(), true, s.input(), "not a regular expression: " + e.getDescription()));
        }
      }
      case BACKSPACE ->
          redraw(
              s.withFilter(
                  s.filter(),
                  true,
                  s.input().isEmpty() ? "" : s.input().substring(0, s.input().length() - 1),
                  ""));
      default ->
          key.length() == 1
              ? redraw(s.withFilter(s.filter(), true, s.input() + key, ""))
              : redraw(s);
    };
  }

  private static Outcome menuKey(UiState s, String key, List<String> jobs) {
    int n = UiState.MENU.size();
    return switch (key) {
      case UP, "k" -> redraw(s.withMenu((s.menu() + n - 1) % n));
      case DOWN, "j" -> redraw(s.withMenu((s.menu() + 1) % n));
      case ESC, "q" -> redraw(s.withMenu(-1));
      case ENTER, "s" -> {
        String entry = UiState.MENU.get(s.menu());
        String job = selected(s, jobs);
        yield entry.equals("cancel") || job.isEmpty()
            ? redraw(s.withMenu(-1))
            : new Outcome(
                s.withMenu(-1).withMessage("sending " + entry + " to " + job + " ..."),
                new Signal(entry, job));
      }
      default -> redraw(s);
    };
  }

  private static String neighbour(List<String> jobs, String current, int delta) {
    if (jobs.isEmpty()) {
      return "";
    }
    int i = Math.max(0, jobs.indexOf(current));
    return jobs.get(Math.floorMod(i + delta, jobs.size()));
  }

  private static Outcome redraw(UiState s) {
    return new Outcome(s, new Redraw());
  }
}

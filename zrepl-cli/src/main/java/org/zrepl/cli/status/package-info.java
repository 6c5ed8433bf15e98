/**
 * {@code zrepl status}: the plain dump ({@link org.zrepl.cli.status.StatusView}) and the
 * interactive terminal view. The view is split so that everything but the terminal is a pure
 * function: {@link org.zrepl.cli.status.Keys} turns a key into the next {@link
 * org.zrepl.cli.status.UiState} (and an action), {@link org.zrepl.cli.status.Screen} turns model,
 * UI state and terminal size into lines; only {@link org.zrepl.cli.status.InteractiveStatus} talks
 * to the terminal (JLine) and the daemon. No daemon logic belongs here.
 */
package org.zrepl.cli.status;

/**
 * The {@code zrepl} command line: picocli commands and the composition root. {@link
 * org.zrepl.cli.Main#run} is the whole program minus the process (tests call it with string
 * writers); {@link org.zrepl.cli.Main#main} is the only place that exits the JVM.
 */
package org.zrepl.cli;

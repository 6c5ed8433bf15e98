package org.zrepl.zfs.cli;

import java.io.InputStream;
import java.io.OutputStream;

/** A started command: its three standard streams, its exit status, and a way to stop it. */
public interface LaunchedProcess {

  OutputStream stdin();

  InputStream stdout();

  InputStream stderr();

  /** Blocks until the command exits and returns its exit status. */
  int waitFor() throws InterruptedException;

  /** Stops the command forcibly if it is still running; never throws. */
  void kill();
}

package org.zrepl.app.config;

/**
 * Reads and checks the PEM files a {@code tls} block names, as the daemon will when it builds the
 * connector, listener or logging outlet, without connecting or binding anything. {@code zrepl
 * configcheck} passes the transport's loader; plain loading passes {@link #NONE} (the daemon reads
 * the files when it builds the wire, failing its start naming the file).
 */
@FunctionalInterface
public interface TlsCheck {

  /** Checks nothing. */
  TlsCheck NONE = (where, ca, cert, key) -> {};

  /**
   * Throws {@link IllegalArgumentException} whose message starts with {@code "ca file "}, {@code
   * "cert file "} or {@code "key file "} and names the file and what is wrong with it.
   *
   * @param where {@code connect}, {@code serve} (a job's transport) or {@code logging} (a tcp
   *     outlet)
   */
  void check(String where, String ca, String cert, String key);
}

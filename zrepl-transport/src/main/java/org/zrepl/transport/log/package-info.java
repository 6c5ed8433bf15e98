/**
 * Network log outlets: lines of already formatted log entries sent over TCP ({@link
 * org.zrepl.transport.log.TcpLineSink}). Formatting is zrepl-app's business.
 */
package org.zrepl.transport.log;

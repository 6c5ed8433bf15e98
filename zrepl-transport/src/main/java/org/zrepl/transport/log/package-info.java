/**
 * Network log outlets: lines of already formatted log entries sent over TCP or TLS ({@link
 * org.zrepl.transport.log.TcpLineSink}), as UDP datagrams ({@link
 * org.zrepl.transport.log.UdpLineSink}) or to syslog. Formatting is zrepl-app's business.
 */
package org.zrepl.transport.log;

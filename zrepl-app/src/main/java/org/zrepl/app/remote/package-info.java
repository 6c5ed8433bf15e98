/**
 * Replication across processes from the application's side: the wires of {@code connect:} and
 * {@code serve:} ({@link org.zrepl.app.remote.Transports}), and what a {@code sink} or {@code
 * source} job serves to each client identity ({@link org.zrepl.app.remote.SinkEndpoints}, {@link
 * org.zrepl.app.remote.SourceEndpoints}). Sockets stay in zrepl-transport.
 */
package org.zrepl.app.remote;

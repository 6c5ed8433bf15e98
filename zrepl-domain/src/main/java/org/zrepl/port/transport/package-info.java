/**
 * The transport's ports. What every wire offers the RPC layer: a {@link
 * org.zrepl.port.transport.Connection} (two byte streams), the active side's {@link
 * org.zrepl.port.transport.Connector}, the passive side's {@link org.zrepl.port.transport.Listener}
 * and the {@link org.zrepl.port.transport.ClientIdentity} it establishes; the factories the app
 * builds them with ({@link org.zrepl.port.transport.Wires}, {@link org.zrepl.port.transport.Rpc},
 * {@link org.zrepl.port.transport.MetricsListeners}, {@link org.zrepl.port.transport.LogSinks});
 * and {@link org.zrepl.port.transport.TransportException}, the family of transport failures.
 * Implemented by zrepl-transport; nothing here touches a socket.
 */
package org.zrepl.port.transport;

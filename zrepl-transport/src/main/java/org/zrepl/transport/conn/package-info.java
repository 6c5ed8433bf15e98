/**
 * What every wire offers the RPC layer: a {@link org.zrepl.transport.conn.Connection} (two byte
 * streams), the active side's {@link org.zrepl.transport.conn.Connector}, the passive side's {@link
 * org.zrepl.transport.conn.Listener} and the {@link org.zrepl.transport.conn.ClientIdentity} it
 * establishes. The wires themselves live in {@code tcp}, {@code local}, ...; nothing here touches a
 * socket.
 */
package org.zrepl.transport.conn;

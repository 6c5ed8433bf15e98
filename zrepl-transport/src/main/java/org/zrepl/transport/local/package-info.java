/**
 * The {@code local} transport: a listener and connector inside one process, joined by bounded
 * in-memory pipes; for a push and a sink job in one daemon, and for tests of the RPC.
 */
package org.zrepl.transport.local;

/**
 * The {@code tcp} transport: a listener that identifies clients by source address ({@link
 * org.zrepl.transport.tcp.ClientMap}) and a connector with a dial timeout. Plain TCP: no
 * encryption, so only for trusted networks (or use {@code tls}).
 */
package org.zrepl.transport.tcp;

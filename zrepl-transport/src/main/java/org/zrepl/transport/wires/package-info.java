/**
 * The {@link org.zrepl.port.transport.Wires} port over the real wires of the sibling packages
 * ({@code tcp}, {@code tls}, {@code stdinserver}, {@code local}). Only construction lives here.
 */
package org.zrepl.transport.wires;

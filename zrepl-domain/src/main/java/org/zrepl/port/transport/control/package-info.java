/**
 * The daemon's control socket as the app sees it: a {@link
 * org.zrepl.port.transport.control.ControlRequest} in, a {@link
 * org.zrepl.port.transport.control.ControlResponse} out, answered by a {@link
 * org.zrepl.port.transport.control.ControlHandler}. The socket itself is the transport's ({@link
 * org.zrepl.port.transport.control.ControlSockets}).
 */
package org.zrepl.port.transport.control;

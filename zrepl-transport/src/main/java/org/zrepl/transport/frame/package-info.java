/**
 * The frame layer: the handshake ({@link org.zrepl.transport.frame.Handshake}) and typed,
 * length-bounded frames ({@link org.zrepl.transport.frame.FrameReader} draws the layout) over any
 * pair of byte streams. Knows nothing of calls, JSON or endpoints; those are {@code
 * org.zrepl.transport.rpc}'s.
 */
package org.zrepl.transport.frame;

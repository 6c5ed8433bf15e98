package org.zrepl.port.transport.control;

/** What the daemon does with a control request; must not throw for a request it refuses. */
@FunctionalInterface
public interface ControlHandler {
  ControlResponse handle(ControlRequest request);
}

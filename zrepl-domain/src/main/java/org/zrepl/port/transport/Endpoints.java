package org.zrepl.port.transport;

import java.util.Optional;
import org.zrepl.port.endpoint.Receiver;
import org.zrepl.port.endpoint.Sender;

/**
 * What a serving job offers each client. A {@code source} job answers {@link #sender} with a sender
 * restricted to its filter; a {@code sink} job answers {@link #receiver} with a receiver writing
 * only below {@code root_fs/<identity>}. An empty answer refuses every call of that side.
 */
public interface Endpoints {
  Optional<Sender> sender(ClientIdentity client);

  Optional<Receiver> receiver(ClientIdentity client);
}

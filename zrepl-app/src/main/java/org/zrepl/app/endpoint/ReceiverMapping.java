package org.zrepl.app.endpoint;

import java.util.Objects;
import java.util.Optional;
import org.zrepl.domain.dataset.DatasetMapping;
import org.zrepl.domain.dataset.DatasetPath;

/** Where a receiver keeps a sender filesystem; empty if it does not accept it. */
@FunctionalInterface
public interface ReceiverMapping {

  Optional<DatasetPath> map(DatasetPath senderFilesystem);

  /** A {@code local} job's mapping ({@code "zroot<": "storage/zroot"}). */
  static ReceiverMapping of(DatasetMapping mapping) {
    Objects.requireNonNull(mapping, "mapping");
    return mapping::map;
  }

  /**
   * A sink's {@code root_fs/<identity>/<sender path>}: {@code pool/a} from client {@code laptop}
   * under {@code backups} becomes {@code backups/laptop/pool/a}.
   */
  static ReceiverMapping underRoot(DatasetPath rootFs, String identity) {
    Objects.requireNonNull(rootFs, "rootFs");
    DatasetPath.checkComponent(identity);
    DatasetPath base = rootFs.child(identity);
    return source -> Optional.of(base.append(source.components()));
  }
}

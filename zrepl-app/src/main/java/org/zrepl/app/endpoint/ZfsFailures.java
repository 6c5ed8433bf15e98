package org.zrepl.app.endpoint;

import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.endpoint.EndpointException;
import org.zrepl.port.endpoint.EndpointUnsupportedException;
import org.zrepl.port.endpoint.FilesystemNotFoundException;
import org.zrepl.port.endpoint.ReceiveRefusedException;
import org.zrepl.port.endpoint.StreamFailedException;
import org.zrepl.port.zfs.DatasetBusyException;
import org.zrepl.port.zfs.DatasetExistsException;
import org.zrepl.port.zfs.DatasetNotFoundException;
import org.zrepl.port.zfs.DestinationModifiedException;
import org.zrepl.port.zfs.UnsupportedZfsFeatureException;
import org.zrepl.port.zfs.ZfsException;

/** Turns {@link ZfsException}s into the endpoint family, keeping ZFS's message as the cause. */
final class ZfsFailures {

  private ZfsFailures() {}

  /** A failure of anything but send/receive: temporary only if the dataset was busy. */
  static EndpointException of(String doing, DatasetPath fs, ZfsException e) {
    String message = doing + " " + fs + ": " + e.getMessage();
    if (e instanceof DatasetNotFoundException) {
      return new FilesystemNotFoundException(fs, message, e);
    }
    if (e instanceof UnsupportedZfsFeatureException) {
      return new EndpointUnsupportedException(message, e);
    }
    return new EndpointException(message, e instanceof DatasetBusyException, e);
  }

  /**
   * A failed {@code zfs recv}: refusals because of the target's state are permanent, anything else
   * (an incomplete or corrupt stream, an I/O error) is treated as an interrupted stream.
   */
  static EndpointException ofReceive(DatasetPath target, ZfsException e) {
    String message = "receiving into " + target + ": " + e.getMessage();
    if (e instanceof DestinationModifiedException) {
      return new ReceiveRefusedException(
          message
              + " (the replica changed since its newest snapshot: roll it back with zfs rollback"
              + " and keep replicas unmodified, e.g. readonly=on or unmounted)",
          e);
    }
    if (e instanceof DatasetExistsException) {
      return new ReceiveRefusedException(message, e);
    }
    if (e instanceof DatasetNotFoundException) {
      return new FilesystemNotFoundException(target, message, e);
    }
    if (e instanceof UnsupportedZfsFeatureException) {
      return new EndpointUnsupportedException(message, e);
    }
    return new StreamFailedException(message, e);
  }

  /** A failed {@code zfs send}: a missing version is permanent, anything else temporary. */
  static EndpointException ofSend(DatasetPath fs, ZfsException e) {
    String message = "sending " + fs + ": " + e.getMessage();
    if (e instanceof DatasetNotFoundException) {
      return new FilesystemNotFoundException(fs, message, e);
    }
    if (e instanceof UnsupportedZfsFeatureException) {
      return new EndpointUnsupportedException(message, e);
    }
    return new StreamFailedException(message, e);
  }
}

package org.zrepl.port.endpoint;

/**
 * The sender refused to send a filesystem because its policy forbids it: {@code send.encrypted}
 * asks for encrypted (raw) sends only and the filesystem is not encrypted, or {@code send.raw}
 * without {@code send.encrypted} would send an encrypted filesystem raw. Permanent: nothing is sent
 * until the configuration or the filesystem changes. Over the RPC it arrives as a permanent {@link
 * EndpointException} with the same message.
 */
public class SendRefusedException extends EndpointException {

  public SendRefusedException(String message, Throwable cause) {
    super(message, false, cause);
  }
}

package org.zrepl.transport.rpc;

/** The names of the calls on the wire, one per endpoint port operation. */
final class Calls {
  static final String SENDER_GUARANTEES = "sender.guarantees";
  static final String SENDER_LIST_FILESYSTEMS = "sender.listFilesystems";
  static final String SENDER_LIST_VERSIONS = "sender.listVersions";
  static final String SENDER_SEND = "sender.send";
  static final String SENDER_ESTIMATE_SIZE = "sender.estimateSize";
  static final String SENDER_SEND_COMPLETED = "sender.sendCompleted";
  static final String SENDER_DESTROY_SNAPSHOTS = "sender.destroySnapshots";
  static final String RECEIVER_GUARANTEES = "receiver.guarantees";
  static final String RECEIVER_LIST_FILESYSTEMS = "receiver.listFilesystems";
  static final String RECEIVER_LIST_VERSIONS = "receiver.listVersions";
  static final String RECEIVER_RESUME_TOKEN = "receiver.resumeToken";
  static final String RECEIVER_RECEIVE = "receiver.receive";
  static final String RECEIVER_DESTROY_SNAPSHOTS = "receiver.destroySnapshots";
  static final String RECEIVER_ROLLBACK = "receiver.rollback";

  private Calls() {}
}

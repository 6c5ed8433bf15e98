/**
 * The endpoint ports {@link org.zrepl.port.endpoint.Sender} and {@link
 * org.zrepl.port.endpoint.Receiver}: what the replication engine asks of the two sides of a job,
 * and their exception family ({@link org.zrepl.port.endpoint.EndpointException}).
 *
 * <p>Both the local ZFS endpoints ({@code org.zrepl.app.endpoint}) and, later, the RPC client
 * implement these same ports, so push, pull and local jobs run one algorithm. Hence requests and
 * responses are plain records of domain values, and stream data is an {@link java.io.InputStream}.
 * Nothing of the {@code Zfs} port appears here: filesystems are always named as on the sender; the
 * receiver maps them to its own names.
 */
package org.zrepl.port.endpoint;

/**
 * The RPC over frames: {@link org.zrepl.transport.rpc.RpcClient} with {@link
 * org.zrepl.transport.rpc.RemoteSender} and {@link org.zrepl.transport.rpc.RemoteReceiver}, which
 * implement the same endpoint ports as the local ZFS endpoints, and {@link
 * org.zrepl.transport.rpc.RpcServer}, which dispatches to the {@link
 * org.zrepl.port.transport.Endpoints} a job serves. JSON headers (the wire's DTOs live in {@code
 * Json}, not in the domain); snapshot streams in data frames, never held whole. See {@code
 * docs/protocol.md}. Knows no socket: a wire is a {@link org.zrepl.port.transport.Connection}.
 */
package org.zrepl.transport.rpc;

/**
 * The {@code tls} transport: mutual TLS (1.3 or 1.2) over TCP. Both sides load PEM files ({@link
 * org.zrepl.transport.tls.TlsFiles}: a CA bundle, a certificate chain and its private key in any of
 * the formats zrepl users have); the {@link org.zrepl.transport.tls.TlsListener} requires a client
 * certificate signed by the CA and takes its CN as the client identity if {@code client_cns} lists
 * it; the {@link org.zrepl.transport.tls.TlsConnector} requires the server's certificate to be
 * signed by the CA and to name {@code server_cn}. Also used by the tcp log outlet's {@code tls}.
 */
package org.zrepl.transport.tls;

/**
 * The metrics port ({@link org.zrepl.port.metrics.MetricsRegistry}) on Prometheus' Java client,
 * with its JVM and process metrics. The HTTP listener that serves the text is in {@code
 * org.zrepl.transport.http}; what the metrics are is zrepl-app's and the ZFS adapter's business.
 */
package org.zrepl.transport.prometheus;

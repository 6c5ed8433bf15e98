/**
 * The metrics port: {@link org.zrepl.port.metrics.MetricsRegistry}, through which zrepl-app and the
 * ZFS adapter record counters, gauges and histograms under zrepl's metric names. Implemented with
 * Prometheus' Java client in zrepl-transport; nothing here knows the exposition format.
 */
package org.zrepl.port.metrics;

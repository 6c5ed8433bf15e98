/**
 * The HTTP listener that serves Prometheus metrics ({@code GET /metrics}) from a text supplier.
 * What the metrics are is zrepl-app's business; this package only listens and answers.
 */
package org.zrepl.transport.http;

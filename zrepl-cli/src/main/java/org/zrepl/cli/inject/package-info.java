/**
 * The composition root, and the only place in the CLI that sees Guice: one module per adapter
 * ({@link org.zrepl.cli.inject.CliZfsModule}, {@link org.zrepl.cli.inject.TransportModule}, {@link
 * org.zrepl.cli.inject.LogOutletsModule}, {@link org.zrepl.cli.inject.MetricsModule}), time and
 * waiting ({@link org.zrepl.cli.inject.HostModule}) and the application ({@link
 * org.zrepl.cli.inject.AppModule}). {@link org.zrepl.cli.inject.Wiring} builds the injector in
 * {@code Stage.PRODUCTION} with explicit bindings, so wiring errors surface at start-up. Tests
 * replace an adapter module with a fake bound to the same keys. Offline commands never build it.
 */
package org.zrepl.cli.inject;

/**
 * The production wiring, and the only place in the CLI that sees Guice: {@link
 * org.zrepl.cli.inject.ProductionModule} binds the ports to their real adapters and {@link
 * org.zrepl.cli.inject.Wiring} builds the injector in {@code Stage.PRODUCTION}, so wiring errors
 * surface at start-up. Offline commands never build it.
 */
package org.zrepl.cli.inject;

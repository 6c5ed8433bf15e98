/**
 * Reading {@code zrepl.yml}: SnakeYAML nodes (so every value has a line and column) bound into
 * immutable records ({@link org.zrepl.app.config.Config} and below), with every problem collected
 * and reported at once as {@code file:line:col: error: message}.
 *
 * <p>Value grammars that belong to the domain (durations, retention grids, keep rules, dataset
 * filters and mappings) are parsed by the domain; this package only locates them in the file and
 * reports the domain's message at the right position. Nothing here talks to ZFS or the network.
 */
package org.zrepl.app.config;

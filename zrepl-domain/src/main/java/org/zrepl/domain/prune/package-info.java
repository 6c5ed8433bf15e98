/**
 * zrepl's pruning: the keep rules ({@code grid}, {@code last_n}, {@code regex}, {@code
 * not_replicated}), the retention grid and the planner that decides per snapshot whether to keep or
 * destroy it. Pure: no I/O, no clock (the grid's "now" is the youngest snapshot), no config parsing
 * beyond the small grammars zrepl defines for grid specifications.
 */
package org.zrepl.domain.prune;

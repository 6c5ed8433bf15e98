/**
 * Snapshot naming (prefix plus a timestamp in one of zrepl's formats), the periodic schedule and
 * zrepl's duration grammar. Pure: the current time is always an argument, never read from a clock.
 */
package org.zrepl.domain.snapshot;

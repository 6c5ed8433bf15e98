/**
 * Dataset names and the pattern language that selects and maps them (zrepl's DatasetMapFilter).
 * Pure values: no I/O, no knowledge of how datasets are listed.
 */
package org.zrepl.domain.dataset;

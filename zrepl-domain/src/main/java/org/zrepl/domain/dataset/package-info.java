/**
 * Dataset names and the pattern language that selects and maps them (zrepl's DatasetMapFilter):
 * {@link org.zrepl.domain.dataset.DatasetPath}, {@link org.zrepl.domain.dataset.DatasetFilter},
 * {@link org.zrepl.domain.dataset.DatasetMapping} and the {@link org.zrepl.domain.dataset.Decision}
 * that explains them. Pure values: no I/O, no knowledge of how datasets are listed, no config
 * parsing (the config loader turns YAML into the maps these take).
 */
package org.zrepl.domain.dataset;

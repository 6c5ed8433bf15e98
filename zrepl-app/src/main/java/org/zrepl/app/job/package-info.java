/**
 * Jobs that run on their own: {@link org.zrepl.app.job.SnapJob} organizes its snapshot and prune
 * rounds through the {@link org.zrepl.app.job.Scheduler} seam and exposes an immutable {@link
 * org.zrepl.app.job.SnapJobState}. Jobs wire use cases together; decisions belong in the domain,
 * ZFS access behind the port. No sleeping and no {@code Instant.now()}: time is an injected clock.
 */
package org.zrepl.app.job;

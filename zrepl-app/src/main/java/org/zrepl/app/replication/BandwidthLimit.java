package org.zrepl.app.replication;

/**
 * One {@code bandwidth_limit}: a token bucket that fills at {@code bytesPerSecond} and holds at
 * most {@code bucketCapacity} bytes (the burst). As in zrepl, the bucket starts full.
 *
 * @param bytesPerSecond {@code max}; positive
 * @param bucketCapacity {@code bucket_capacity}; positive
 */
public record BandwidthLimit(long bytesPerSecond, long bucketCapacity) {

  public BandwidthLimit {
    if (bytesPerSecond <= 0) {
      throw new IllegalArgumentException("bytesPerSecond must be positive, got " + bytesPerSecond);
    }
    if (bucketCapacity <= 0) {
      throw new IllegalArgumentException("bucketCapacity must be positive, got " + bucketCapacity);
    }
  }
}

package org.zrepl.zfs;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.zrepl.domain.dataset.DatasetPath;
import org.zrepl.port.zfs.Zfs;
import org.zrepl.port.zfs.ZfsCapabilities;
import org.zrepl.zfs.fake.InMemoryZfs;

/** A fresh {@link InMemoryZfs} with a sending pool {@code src} and a receiving pool {@code dst}. */
final class InMemoryZfsFixture implements ZfsFixture {

  private final InMemoryZfs zfs;
  private int next;

  InMemoryZfsFixture(ZfsCapabilities capabilities) {
    this.zfs =
        new InMemoryZfs(
            capabilities, Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC), 42);
    zfs.createPool("src");
    zfs.createPool("dst");
  }

  InMemoryZfs fake() {
    return zfs;
  }

  @Override
  public Zfs zfs() {
    return zfs;
  }

  @Override
  public DatasetPath newRoot() {
    DatasetPath p = DatasetPath.of("src/t" + next++);
    zfs.createFilesystem(p, Map.of(), false);
    return p;
  }

  @Override
  public DatasetPath newReceiveRoot() {
    DatasetPath p = DatasetPath.of("dst/r" + next++);
    zfs.createFilesystem(p, Map.of(), false);
    return p;
  }

  @Override
  public void write(DatasetPath fs, String file, byte[] data) {
    zfs.write(fs, file, data);
  }

  @Override
  public byte[] read(DatasetPath fs, String file) {
    return zfs.read(fs, file)
        .orElseThrow(() -> new AssertionError("no file " + file + " in " + fs));
  }
}

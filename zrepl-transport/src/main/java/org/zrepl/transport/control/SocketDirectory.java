package org.zrepl.transport.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.zrepl.port.transport.control.ControlException;

/**
 * The directory a daemon socket lives in must be private: a directory owned by us that nobody else
 * can enter or write, so nobody else can connect to or replace the socket. Like zrepl, a missing
 * directory is created with mode 0700; an existing one with looser permissions is refused.
 */
public final class SocketDirectory {

  private static final Set<PosixFilePermission> OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private SocketDirectory() {}

  /** Creates {@code dir} (mode 0700) if missing; throws if it is not private. */
  public static void ensurePrivate(Path dir) {
    try {
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(dir.getParent());
        Files.createDirectory(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return;
      }
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new ControlException("socket directory " + dir + " is not a directory");
      }
      Set<PosixFilePermission> perms =
          Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
      Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
      open.addAll(perms);
      open.retainAll(OTHERS);
      if (!open.isEmpty()) {
        throw new ControlException(
            "socket directory "
                + dir
                + " must be accessible by its owner only, has permissions "
                + PosixFilePermissions.toString(perms)
                + " (chmod 0700 it)");
      }
      String owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
      String me = System.getProperty("user.name");
      if (!owner.equals(me)) {
        throw new ControlException(
            "socket directory " + dir + " is owned by " + owner + ", not by " + me);
      }
    } catch (IOException e) {
      throw new ControlException("cannot check socket directory " + dir + ": " + e, e);
    }
  }
}

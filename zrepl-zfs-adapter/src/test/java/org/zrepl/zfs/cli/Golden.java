package org.zrepl.zfs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One captured command from {@code src/test/resources/golden/<flavour>/<name>.{cmd,out,err,exit}}
 * (see {@code scripts/capture-golden.sh}).
 */
record Golden(String flavour, String name, String cmd, String out, String err, int exit) {

  static final String ZFS_FUSE = "zfs-fuse";
  static final String OPENZFS_21 = "openzfs-2.1";
  static final String OPENZFS_23 = "openzfs-2.3";

  static Golden of(String flavour, String name) {
    return new Golden(
        flavour,
        name,
        read(flavour, name, "cmd").strip(),
        read(flavour, name, "out"),
        read(flavour, name, "err"),
        Integer.parseInt(read(flavour, name, "exit").strip()));
  }

  static boolean exists(String flavour, String name) {
    return Golden.class.getResource(path(flavour, name, "exit")) != null;
  }

  /** The flavours whose golden files are committed. */
  static List<String> flavours() {
    return List.of(ZFS_FUSE, OPENZFS_21, OPENZFS_23).stream()
        .filter(f -> exists(f, "probe-usage"))
        .toList();
  }

  /** As a {@link CommandResult} of the given argv. */
  CommandResult result(List<String> argv) {
    return new CommandResult(argv, exit, out, err);
  }

  private static String path(String flavour, String name, String ext) {
    return "/golden/" + flavour + "/" + name + "." + ext;
  }

  private static String read(String flavour, String name, String ext) {
    String p = path(flavour, name, ext);
    try (InputStream in = Golden.class.getResourceAsStream(p)) {
      if (in == null) {
        throw new IllegalArgumentException("no golden file " + p);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package org.zrepl.app.config;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An amount of data in bits, parsed as zrepl parses {@code bandwidth_limit} values: a decimal
 * number, optional spaces, then {@code bit} or a prefix (none, K, M, G, T decimal; Ki, Mi, Gi, Ti
 * binary) followed by {@code b} (bits) or {@code B} (bytes). So {@code 23.5 MiB}, {@code 10 Mb},
 * {@code -1 B}, {@code 128 KiB}, {@code 800 bit}. Values in {@code bit} must be integral.
 */
public record DataSize(double bits) {

  private static final Pattern SYNTAX =
      Pattern.compile("^([-0-9.]*)\\s*(bit|(|K|Ki|M|Mi|G|Gi|T|Ti)([bB]))$");

  private static final Map<String, Long> PREFIX =
      Map.of(
          "", 1L,
          "K", 1_000L,
          "M", 1_000_000L,
          "G", 1_000_000_000L,
          "T", 1_000_000_000_000L,
          "Ki", 1L << 10,
          "Mi", 1L << 20,
          "Gi", 1L << 30,
          "Ti", 1L << 40);

  public DataSize {
    if (Double.isNaN(bits) || Double.isInfinite(bits)) {
      throw new IllegalArgumentException("data size must be finite, got " + bits);
    }
  }

  public static DataSize ofBytes(long bytes) {
    return new DataSize(bytes * 8.0);
  }

  public static DataSize parse(String s) {
    Matcher m = SYNTAX.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "data size '"
              + s
              + "' must be a number and a unit such as B, KiB, MiB, Mb or bit"
              + (s.endsWith("bit") && s.length() > 3 && !s.matches(".*\\d\\s*bit")
                  ? " (prefixed units are spelt with b for bits, e.g. '10 Mb')"
                  : ""));
    }
    BigDecimal number;
    try {
      number = new BigDecimal(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("data size '" + s + "' has no valid number", e);
    }
    if (m.group(2).equals("bit")) {
      if (number.stripTrailingZeros().scale() > 0) {
        throw new IllegalArgumentException(
            "data size '" + s + "': unit bit must be an integer value");
      }
      return new DataSize(number.doubleValue());
    }
    long factor = PREFIX.get(m.group(3)) * (m.group(4).equals("B") ? 8 : 1);
    return new DataSize(number.multiply(BigDecimal.valueOf(factor)).doubleValue());
  }

  public double bytes() {
    return bits / 8;
  }

  /** Negative sizes mean "no limit" in zrepl's {@code bandwidth_limit.max}. */
  public boolean isNegative() {
    return bits < 0;
  }

  /** A canonical spelling that {@link #parse} reads back to the same value. */
  @Override
  public String toString() {
    double bytes = bits / 8;
    if (bytes == Math.rint(bytes)) {
      return BigDecimal.valueOf(bytes).stripTrailingZeros().toPlainString() + " B";
    }
    return BigDecimal.valueOf(bits).stripTrailingZeros().toPlainString() + " bit";
  }
}

package org.zrepl.app.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** An enum constant spelt in the configuration file as {@link #word()}. */
interface ConfigWord {

  String word();

  /** The constants of {@code type} keyed by their word, in declaration order. */
  static <E extends Enum<E> & ConfigWord> Map<String, E> choices(Class<E> type) {
    Map<String, E> m = new LinkedHashMap<>();
    for (E e : type.getEnumConstants()) {
      m.put(e.word(), e);
    }
    return m;
  }
}

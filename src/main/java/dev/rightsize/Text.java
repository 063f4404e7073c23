package dev.rightsize;

import dev.rightsize.internal.Sizes;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** The {@code toString()} wording shared by the public records: one word per state. */
final class Text {
  private Text() {}

  static String decimal(double d) {
    return Sizes.decimal(d);
  }

  static String bytes(Limit l) {
    if (l.isLimited()) {
      return Sizes.human(l.value().getAsLong());
    }
    if (l.isUnlimited()) {
      return "unlimited";
    }
    return l.value().isPresent() ? "unknown (at most " + Sizes.human(l.value().getAsLong()) + ")" : "unknown";
  }

  static void bytes(StringBuilder b, String name, OptionalLong v) {
    if (v.isPresent()) {
      b.append(", ").append(name).append(' ').append(Sizes.human(v.getAsLong()));
    }
  }

  static void opt(StringBuilder b, String name, OptionalLong v) {
    if (v.isPresent()) {
      b.append(", ").append(name).append(' ').append(v.getAsLong());
    }
  }

  static void opt(StringBuilder b, String name, OptionalInt v) {
    if (v.isPresent()) {
      b.append(", ").append(name).append(' ').append(v.getAsInt());
    }
  }
}

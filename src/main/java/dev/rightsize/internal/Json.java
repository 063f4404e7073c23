package dev.rightsize.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** A minimal JSON writer: ordered objects, arrays, strings, numbers, booleans and null. */
public final class Json {
  private Json() {}

  /** An ordered JSON object under construction. */
  public static final class Obj {
    private final Map<String, Object> members = new LinkedHashMap<>();

    /**
     * Adds a member, or replaces the value of an existing one in place.
     *
     * @param key the member's name
     * @param value a String, Number, Boolean, null, {@link Obj}, List, or Optional, OptionalInt,
     *     OptionalLong or OptionalDouble (empty is written as null); any other object is written as the
     *     string of its {@code toString()}
     * @return this object
     */
    public Obj put(String key, Object value) {
      members.put(key, normalize(value));
      return this;
    }

    /**
     * Indented multi-line form.
     *
     * @return the object as JSON, two spaces per level
     */
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder();
      write(b, this, 0);
      return b.toString();
    }
  }

  /**
   * A new object.
   *
   * @return an empty object
   */
  public static Obj obj() {
    return new Obj();
  }

  private static Object normalize(Object v) {
    if (v instanceof OptionalLong o) {
      return o.isPresent() ? (Object) o.getAsLong() : null;
    }
    if (v instanceof OptionalInt o) {
      return o.isPresent() ? (Object) o.getAsInt() : null;
    }
    if (v instanceof OptionalDouble o) {
      return o.isPresent() ? (Object) o.getAsDouble() : null;
    }
    if (v instanceof java.util.Optional<?> o) {
      return o.map(Json::normalize).orElse(null);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object e : l) {
        out.add(normalize(e));
      }
      return out;
    }
    return v;
  }

  private static void write(StringBuilder b, Object v, int indent) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof Obj o) {
      if (o.members.isEmpty()) {
        b.append("{}");
        return;
      }
      b.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : o.members.entrySet()) {
        if (!first) {
          b.append(',');
        }
        first = false;
        newline(b, indent + 1);
        string(b, e.getKey());
        b.append(": ");
        write(b, e.getValue(), indent + 1);
      }
      newline(b, indent);
      b.append('}');
    } else if (v instanceof List<?> l) {
      if (l.isEmpty()) {
        b.append("[]");
        return;
      }
      b.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        newline(b, indent + 1);
        write(b, l.get(i), indent + 1);
      }
      newline(b, indent);
      b.append(']');
    } else if (v instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        b.append("null");
      } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        b.append((long) (double) d).append(".0");
      } else {
        b.append(d);
      }
    } else if (v instanceof Number || v instanceof Boolean) {
      b.append(v);
    } else {
      string(b, v.toString());
    }
  }

  private static void newline(StringBuilder b, int indent) {
    b.append('\n').append("  ".repeat(indent));
  }

  /** Writes a JSON string literal. */
  static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}

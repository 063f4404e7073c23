package dev.rightsize.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON writer's strings under coverage-guided fuzzing: any sequence of UTF-16 units (control
 * characters, quotes, backslashes, lone surrogates, U+2028) written as a member name and value parses
 * back, with a strict parser (Jackson), to the same text, and no raw control character is written.
 */
class JsonFuzzTest {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  @FuzzTest(maxDuration = "2m")
  void strings(byte[] input) throws Exception {
    // Two bytes a UTF-16 unit: every char value, paired or not, is reachable.
    char[] units = new char[input.length / 2];
    for (int i = 0; i < units.length; i++) {
      units[i] = (char) ((input[2 * i] & 0xff) << 8 | input[2 * i + 1] & 0xff);
    }
    String s = new String(units);
    String doc = Json.obj().put(s, s).put("k", java.util.List.of(s, "x")).toString();
    for (int i = 0; i < doc.length(); i++) {
      char c = doc.charAt(i);
      assertThat(c < 0x20 && c != '\n' || c == 0x2028 || c == 0x2029).as("raw U+%04X", (int) c).isFalse();
    }
    JsonNode n = JSON.readTree(doc);
    assertThat(n.size()).isEqualTo(s.equals("k") ? 1 : 2);
    if (!s.equals("k")) {
      assertThat(n.get(s).textValue()).isEqualTo(s);
    }
    assertThat(n.get("k").isArray() || s.equals("k")).isTrue();
  }
}

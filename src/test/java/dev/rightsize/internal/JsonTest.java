package dev.rightsize.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The JSON writer's exact output, written out by hand (RFC 8259 for the escapes). */
class JsonTest {

  @Test
  void membersInOrderIndentedTwoSpacesANestedObjectAndAList() {
    String doc = Json.obj().put("a", 1).put("b", Json.obj().put("c", true)).put("d", List.of("x", 2L)).toString();
    assertThat(doc).isEqualTo("{\n  \"a\": 1,\n  \"b\": {\n    \"c\": true\n  },\n  \"d\": [\n    \"x\",\n    2\n  ]\n}");
  }

  @Test
  void emptyObjectsAndListsAreOneToken() {
    assertThat(Json.obj().toString()).isEqualTo("{}");
    assertThat(Json.obj().put("l", List.of()).put("o", Json.obj()).toString())
        .isEqualTo("{\n  \"l\": [],\n  \"o\": {}\n}");
  }

  @Test
  void optionalsAreTheirValueOrNull() {
    String doc = Json.obj().put("l", OptionalLong.of(5)).put("le", OptionalLong.empty()).put("i", OptionalInt.of(3))
        .put("ie", OptionalInt.empty()).put("d", OptionalDouble.of(1.5)).put("de", OptionalDouble.empty())
        .put("o", Optional.of(OptionalLong.of(7))).put("oe", Optional.empty()).put("n", null)
        .put("list", List.of(OptionalInt.of(1), OptionalInt.empty())).toString();
    assertThat(doc).isEqualTo("{\n  \"l\": 5,\n  \"le\": null,\n  \"i\": 3,\n  \"ie\": null,\n  \"d\": 1.5,\n"
        + "  \"de\": null,\n  \"o\": 7,\n  \"oe\": null,\n  \"n\": null,\n  \"list\": [\n    1,\n    null\n  ]\n}");
  }

  @Test
  void doublesWholeOrNotAndNonFiniteAsNull() {
    assertThat(Json.obj().put("v", 2.0).toString()).isEqualTo("{\n  \"v\": 2.0\n}");
    assertThat(Json.obj().put("v", -3.0).toString()).isEqualTo("{\n  \"v\": -3.0\n}");
    assertThat(Json.obj().put("v", 0.1).toString()).isEqualTo("{\n  \"v\": 0.1\n}");
    // 1e15 and above: Double.toString's exponent form, still valid JSON.
    assertThat(Json.obj().put("v", 1e15).toString()).isEqualTo("{\n  \"v\": 1.0E15\n}");
    assertThat(Json.obj().put("v", 999_999_999_999_999.0).toString()).isEqualTo("{\n  \"v\": 999999999999999.0\n}");
    assertThat(Json.obj().put("v", Double.NaN).toString()).isEqualTo("{\n  \"v\": null\n}");
    assertThat(Json.obj().put("v", Double.NEGATIVE_INFINITY).toString()).isEqualTo("{\n  \"v\": null\n}");
  }

  @Test
  void aMemberPutTwiceKeepsItsPlaceAndTheLastValue() {
    assertThat(Json.obj().put("a", 1).put("b", 2).put("a", 3).toString()).isEqualTo("{\n  \"a\": 3,\n  \"b\": 2\n}");
  }

  @Test
  void otherObjectsAreTheirStringAndStringsAreEscaped() {
    assertThat(Json.obj().put("e", java.time.Duration.ofSeconds(1)).toString()).isEqualTo("{\n  \"e\": \"PT1S\"\n}");
    StringBuilder b = new StringBuilder();
    Json.string(b, "q\"b\\n\nr\rt\tc\u0001u\u001fl\u2028p\u2029é");
    assertThat(b.toString()).isEqualTo("\"q\\\"b\\\\n\\nr\\rt\\tc\\u0001u\\u001fl\\u2028p\\u2029é\"");
    StringBuilder sp = new StringBuilder();
    Json.string(sp, " ~\u007f");
    assertThat(sp.toString()).isEqualTo("\" ~\u007f\"");
  }
  @Test
  void anObjectInAListIsIndentedOneLevelDeeperThanTheList() {
    String doc = Json.obj().put("l", List.of(Json.obj().put("a", 1), List.of(2L))).toString();
    assertThat(doc).isEqualTo("{\n  \"l\": [\n    {\n      \"a\": 1\n    },\n    [\n      2\n    ]\n  ]\n}");
  }
}

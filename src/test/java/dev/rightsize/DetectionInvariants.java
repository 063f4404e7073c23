package dev.rightsize;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.rightsize.report.StartupReport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What every detection must give, whatever the files held: the invariants the garbage sweep
 * ({@link DetectionNeverThrowsTest}) and the whole-root fuzzer ({@code DetectFuzzTest}) check.
 *
 * <ul>
 *   <li>no exception escapes and no {@code internal-error} warning (a bug caught and hidden);
 *   <li>every value is known, or listed in {@code unknown()} with a typed warning: an unknown limit
 *       has a {@code limit-unknown} warning, and nothing is unknown without some warning;
 *   <li>every warning names a file (an absolute path as the process sees it) and says something;
 *   <li>the values are in range (CPUs at least 1, effective at most the host's, bytes not negative);
 *   <li>the JSON report parses with a strict parser (no duplicate member, nothing after the
 *       object), and its {@code warnings} and {@code unknown} say what the snapshot says;
 *   <li>detection is quick: well under a second here; the caller checks linearity.
 * </ul>
 */
public final class DetectionInvariants {
  /** A strict parser: duplicate members and trailing tokens are errors. */
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  /**
   * The bound on one detection's CPU time; generous (the first detection in a JVM loads and
   * interprets its classes, and the fuzzer's instrumentation slows everything several times).
   */
  public static final Duration MAX_DETECTION = Duration.ofSeconds(3);

  private DetectionInvariants() {}

  /**
   * Detects under {@code root} and checks every invariant.
   *
   * @param root the root
   * @return the snapshot
   */
  public static ContainerResources detectAndCheck(Path root) {
    long t0 = Fuzzing.cpuNanos();
    ContainerResources r = ContainerResources.detect(root);
    long took = Fuzzing.cpuNanos() - t0;
    assertThat(Duration.ofNanos(took)).as("detection CPU time").isLessThan(MAX_DETECTION);
    check(r, root);
    return r;
  }

  /**
   * Checks a snapshot.
   *
   * @param r the snapshot
   * @param root the root it was detected from
   */
  public static void check(ContainerResources r, Path root) {
    assertThat(r).isNotNull();
    Cpu cpu = r.cpu();
    Memory mem = r.memory();
    assertThat(cpu.host()).isPositive();
    assertThat(cpu.effective()).isBetween(1, Math.max(1, cpu.host()));
    cpu.limit().ifPresent(v -> assertThat(v).isPositive().isFinite());
    cpu.periodMicros().ifPresent(v -> assertThat(v).isPositive());
    cpu.cpuset().ifPresent(v -> assertThat(v).isPositive());
    cpu.affinity().ifPresent(v -> assertThat(v).isPositive());
    cpu.isolatedView().ifPresent(v -> assertThat(v).isPositive());
    cpu.shares().ifPresent(v -> assertThat(v).isBetween(2, 262_144));
    for (java.util.OptionalLong v : List.of(mem.usageBytes(), mem.workingSetBytes(), mem.maxUsageBytes(),
        mem.failCount(), mem.oomKills(), mem.hostTotalBytes(), mem.isolatedViewTotalBytes())) {
      v.ifPresent(x -> assertThat(x).isNotNegative());
    }
    if (mem.usageBytes().isPresent() && mem.workingSetBytes().isPresent()) {
      assertThat(mem.workingSetBytes().getAsLong()).isLessThanOrEqualTo(mem.usageBytes().getAsLong());
    }

    for (Warning w : r.warnings()) {
      assertThat(w.code()).as("%s", w).isNotEqualTo(WarningCode.INTERNAL_ERROR);
      assertThat(w.message()).as("%s", w).isNotBlank();
      assertThat(w.file()).as("every warning names its file: %s", w).isPresent();
      assertThat(w.file().get()).as("%s", w).startsWith("/");
    }

    // A value or a typed warning.
    limit(r, Value.MEMORY_LIMIT, mem.limitBytes(), true);
    limit(r, Value.MEMORY_SOFT_LIMIT, mem.softLimitBytes(), false);
    limit(r, Value.MEMORY_SWAP_LIMIT, mem.swapLimitBytes(), false);
    limit(r, Value.CPU_LIMIT, cpu.quotaMicros(), true);
    // Nothing unknown without a warning; the one optional file is /proc/self/status: absent, the
    // affinity is silently unknown; present, an unknown affinity is a warning naming it.
    java.util.Set<Value> unknown = new java.util.HashSet<>(r.unknown());
    boolean statusAbsent = !java.nio.file.Files.exists(root.resolve("proc/self/status"));
    if (unknown.remove(Value.CPU_AFFINITY) && !statusAbsent) {
      assertThat(r.warnings()).as("cpu.affinity unknown: a warning naming /proc/self/status")
          .anySatisfy(w -> assertThat(w.file()).hasValue("/proc/self/status"));
    }
    if (!unknown.isEmpty()) {
      assertThat(r.warnings()).as("unknown %s without a warning", unknown).isNotEmpty();
    }
    if (!r.isKnown(Value.CPU_HOST)) {
      assertThat(r.hasWarning(WarningCode.HOST_CPUS_UNKNOWN)).isTrue();
    }
    // Unknown is never sized from.
    if (!mem.limitBytes().isKnown()) {
      assertThat(mem.availableBytes()).isEmpty();
    }
    for (Provenance p : r.provenance()) {
      assertThat(p.file()).as("%s", p).startsWith("/");
    }

    json(r);
  }

  private static void limit(ContainerResources r, Value v, Limit l, boolean warned) {
    assertThat(r.isKnown(v)).as("%s is %s; unknown: %s", v, l, r.unknown()).isEqualTo(l.isKnown());
    if (!l.isKnown() && warned) {
      assertThat(r.warnings()).as("%s unknown: a limit-unknown warning", v)
          .anySatisfy(w -> {
            assertThat(w.code()).isEqualTo(WarningCode.LIMIT_UNKNOWN);
            assertThat(w.message()).startsWith(v.key() + " is unknown");
          });
    }
    if (l.isLimited()) {
      assertThat(r.provenanceOf(v)).as("%s is limited: its provenance", v).isPresent();
    }
  }

  private static void json(ContainerResources r) {
    JsonNode doc;
    try {
      doc = JSON.readTree(StartupReport.of(r).toJson());
    } catch (IOException e) {
      throw new AssertionError("the JSON report does not parse", e);
    }
    assertThat(doc.isObject()).isTrue();
    assertThat(doc.get("cpu").get("effective").asInt()).isEqualTo(r.cpu().effective());
    JsonNode warnings = doc.get("warnings");
    assertThat(warnings.size()).isEqualTo(r.warnings().size());
    for (int i = 0; i < warnings.size(); i++) {
      Warning w = r.warnings().get(i);
      JsonNode j = warnings.get(i);
      assertThat(j.get("code").textValue()).isEqualTo(w.code().id());
      assertThat(j.get("message").textValue()).isEqualTo(w.message());
      assertThat(j.get("file").textValue()).isEqualTo(w.file().orElseThrow());
    }
    List<String> unknown = new ArrayList<>();
    doc.get("unknown").forEach(n -> unknown.add(n.textValue()));
    assertThat(unknown).containsExactlyElementsOf(r.unknown().stream().map(Value::key).toList());
    for (JsonNode p : doc.get("provenance")) {
      String raw = p.get("raw").textValue();
      assertThat(r.provenance()).anySatisfy(q -> assertThat(q.raw()).isEqualTo(raw));
    }
  }
}

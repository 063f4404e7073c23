package dev.rightsize.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rightsize.Limit;
import dev.rightsize.WarningCode;
import dev.rightsize.internal.Files2.Found;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tightest limit along a chain of cgroup directories, with what makes it unknown: the rule
 * every limit of every version follows.
 */
class ChainLimitsTest {
  private static final List<String> CHAIN = List.of("/cg/pod/ctr", "/cg/pod", "/cg");

  @TempDir Path root;
  private final Diagnostics diag = new Diagnostics();

  private Found tightest(String name, boolean f, boolean missingIsUnknown) {
    return new Files2(new ViewFs(root, 100, diag), diag).tightest(CHAIN, name, f, missingIsUnknown);
  }

  private void set(String dir, String name, String content) throws IOException {
    Path d = root.resolve(dir.substring(1));
    Files.createDirectories(d);
    Files.writeString(d.resolve(name), content);
  }

  @Test
  void aTighterAncestorWinsOverTheLeaf() throws IOException {
    set("/cg/pod/ctr", "memory.max", "1610612736\n"); // 1.5 GiB
    set("/cg/pod", "memory.max", "1073741824\n"); // 1 GiB
    set("/cg", "memory.max", "max\n");
    Found f = tightest("memory.max", Files2.V2, false);
    assertThat(f.limit()).isEqualTo(Limit.of(1073741824L));
    assertThat(f.file()).isEqualTo("/cg/pod/memory.max");
    assertThat(f.raw()).isEqualTo("1073741824");
  }

  @Test
  void everyLevelUnlimitedIsKnownUnlimited() throws IOException {
    set("/cg/pod/ctr", "memory.max", "max\n");
    set("/cg/pod", "memory.max", "max\n");
    assertThat(tightest("memory.max", Files2.V2, false).limit()).isEqualTo(Limit.unlimited());
    assertThat(diag.warnings()).isEmpty();
  }

  @Test
  void v2MissingFilesAreLevelsWithoutTheController() throws IOException {
    set("/cg/pod", "memory.max", "536870912\n");
    assertThat(tightest("memory.max", Files2.V2, false).limit()).isEqualTo(Limit.of(536870912L));
    assertThat(diag.warnings()).isEmpty();
  }

  @Test
  void aGarbledLevelMakesItUnknownWithTheTightestBoundRead() throws IOException {
    set("/cg/pod/ctr", "memory.max", "1.5G\n");
    set("/cg/pod", "memory.max", "2147483648\n");
    Found f = tightest("memory.max", Files2.V2, false);
    assertThat(f.limit()).isEqualTo(Limit.unknownAtMost(2147483648L));
    assertThat(f.file()).isEqualTo("/cg/pod/memory.max");
    assertThat(diag.warnings()).singleElement().satisfies(w -> {
      assertThat(w.code()).isEqualTo(WarningCode.UNPARSABLE);
      assertThat(w.file()).hasValue("/cg/pod/ctr/memory.max");
      assertThat(w.message()).contains("1.5G");
    });
  }

  @Test
  void anUnreadableAncestorMakesAKnownLeafUnknown() throws IOException {
    set("/cg/pod/ctr", "memory.limit_in_bytes", "268435456\n");
    Files.createDirectories(root.resolve("cg/pod/memory.limit_in_bytes")); // reading a directory fails
    Found f = tightest("memory.limit_in_bytes", Files2.V1, true);
    assertThat(f.limit()).isEqualTo(Limit.unknownAtMost(268435456L));
    assertThat(diag.warnings()).extracting(w -> w.code()).containsExactly(WarningCode.READ_FAILED);
  }

  @Test
  void v1MissingLeafIsUnknownButAMissingAncestorIsNot() throws IOException {
    set("/cg/pod", "memory.limit_in_bytes", "268435456\n");
    Found leafMissing = tightest("memory.limit_in_bytes", Files2.V1, true);
    assertThat(leafMissing.limit()).isEqualTo(Limit.unknownAtMost(268435456L));
    assertThat(diag.warnings()).singleElement().satisfies(w -> {
      assertThat(w.code()).isEqualTo(WarningCode.FILE_MISSING);
      assertThat(w.file()).hasValue("/cg/pod/ctr/memory.limit_in_bytes");
    });
    set("/cg/pod/ctr", "memory.limit_in_bytes", "9223372036854771712\n"); // v1's page-rounded "unlimited"
    assertThat(tightest("memory.limit_in_bytes", Files2.V1, true).limit()).isEqualTo(Limit.of(268435456L));
  }

  @Test
  void nothingReadableIsUnknownWithoutABound() throws IOException {
    set("/cg/pod/ctr", "memory.max", "banana");
    set("/cg/pod", "memory.max", "-5");
    Found f = tightest("memory.max", Files2.V2, false);
    assertThat(f.limit()).isEqualTo(Limit.unknown());
    assertThat(f.file()).isNull();
    assertThat(diag.warnings()).hasSize(2);
  }

  @Test
  void onATieTheLevelNearestTheProcessIsNamed() throws IOException {
    set("/cg/pod/ctr", "memory.max", "1073741824\n");
    set("/cg/pod", "memory.max", "1073741824\n");
    Found f = tightest("memory.max", Files2.V2, false);
    assertThat(f.limit()).isEqualTo(Limit.of(1073741824L));
    assertThat(f.file()).isEqualTo("/cg/pod/ctr/memory.max");
  }
}

package dev.rightsize;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The runnable examples users copy from, and the single-file programs the real-kernel tests run in
 * child JVMs ({@code src/test/resources/it}), must keep compiling against the library: a probe that
 * no longer compiles would only show in the real-kernel run.
 */
class ExamplesCompileTest {
  @TempDir Path out;

  static Stream<Path> examples() throws Exception {
    try (Stream<Path> s = Stream.concat(Files.list(Path.of("examples")), Files.list(Path.of("src/test/resources/it")))
        .toList().stream()) {
      List<Path> all = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
      assertThat(all).isNotEmpty();
      return all.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void compiles(Path example) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    boolean ok = javac.getTask(diagnostics, null, null,
        List.of("-classpath", System.getProperty("java.class.path"), "-d", out.toString(), "-Xlint:none"),
        null, javac.getStandardFileManager(null, null, null).getJavaFileObjects(example.toFile())).call();
    assertThat(ok).as("%s:%n%s", example, diagnostics).isTrue();
  }
}

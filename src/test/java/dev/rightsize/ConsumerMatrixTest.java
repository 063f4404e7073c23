package dev.rightsize;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A consumer of the built library, compiled and run in a child JVM the way an application would:
 * on the module path and on the class path, without and with Micrometer, with an SLF4J 1.7 and an
 * SLF4J 2.x backend. Micrometer and Spring Boot are optional: their absence must not break the
 * consumer's compilation or start. The library's log line must reach the backend in every case.
 */
class ConsumerMatrixTest {
  private static final String FIXTURE = "src/test/resources/fixtures/real-v1/v1-host-parent-limits";
  private static final String LIMIT = "805306368"; // the fixture's memory limit, in bytes

  @TempDir Path dir;

  enum Slf4j { V1_7, V2 }

  static Stream<Arguments> matrix() {
    List<Arguments> all = new ArrayList<>();
    for (boolean modulePath : new boolean[] {true, false}) {
      for (Slf4j slf4j : Slf4j.values()) {
        for (boolean micrometer : new boolean[] {false, true}) {
          all.add(Arguments.of(modulePath, slf4j, micrometer));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "module path {0}, SLF4J {1}, Micrometer {2}")
  @MethodSource("matrix")
  void consumerCompilesRunsAndLogs(boolean modulePath, Slf4j slf4j, boolean micrometer) throws Exception {
    Path src = dir.resolve("src");
    Path pkg = Files.createDirectories(src.resolve("consumer"));
    Files.writeString(pkg.resolve("Main.java"), consumerSource(micrometer));
    if (modulePath) {
      Files.writeString(src.resolve("module-info.java"),
          "module consumer { requires dev.rightsize; " + (micrometer ? "requires micrometer.core; " : "") + "}\n");
    }

    List<Path> path = new ArrayList<>();
    path.add(libraryClasses());
    path.addAll(testClassPathJars("guava-", "failureaccess-", "error_prone_annotations-", "j2objc-annotations-",
        "jspecify-"));
    if (micrometer) {
      path.addAll(testClassPathJars("micrometer-core-", "micrometer-commons-", "micrometer-observation-",
          "HdrHistogram-", "LatencyUtils-"));
    }
    List<Path> compilePath = new ArrayList<>(path);
    compilePath.addAll(slf4j == Slf4j.V1_7 ? testClassPathJars("slf4j-api-1.7.") : consumerLibs("slf4j-api-2."));
    List<Path> runPath = new ArrayList<>(compilePath);
    runPath.addAll(slf4j == Slf4j.V1_7 ? testClassPathJars("slf4j-simple-1.7.") : consumerLibs("slf4j-simple-2."));
    assertThat(path).noneMatch(p -> p.getFileName().toString().startsWith("spring-"));

    Path classes = dir.resolve("classes");
    List<String> javacArgs = new ArrayList<>(List.of(modulePath ? "--module-path" : "-classpath", join(compilePath),
        "-d", classes.toString(), "-Xlint:none"));
    List<File> sources;
    try (Stream<Path> s = Files.walk(src)) {
      sources = s.filter(p -> p.toString().endsWith(".java")).map(Path::toFile).toList();
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    boolean compiled = javac.getTask(diagnostics, null, null, javacArgs, null,
        javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjectsFromFiles(sources)).call();
    assertThat(compiled).as("javac %s%n%s", javacArgs, diagnostics).isTrue();

    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xshare:auto", "-XX:TieredStopAtLevel=1"));
    runPath.add(0, classes);
    if (modulePath) {
      cmd.addAll(List.of("--module-path", join(runPath), "--module", "consumer/consumer.Main"));
    } else {
      cmd.addAll(List.of("-classpath", join(runPath), "consumer.Main"));
    }
    cmd.add(Path.of(FIXTURE).toAbsolutePath().toString());
    Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile())
        .redirectError(dir.resolve("err").toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("consumer finished").isTrue();
    String out = Files.readString(dir.resolve("out"));
    String err = Files.readString(dir.resolve("err"));
    assertThat(p.exitValue()).as("exit status; stdout:%n%s%nstderr:%n%s", out, err).isZero();

    assertThat(out).contains("memory.limit=" + LIMIT).contains("cpu.effective=1");
    if (micrometer) {
      assertThat(out).contains("container.memory.limit=" + Double.parseDouble(LIMIT));
    }
    // slf4j-simple's format: "[thread] LEVEL logger - message"; the report's INFO block names the limit.
    assertThat(err).as("stderr").contains("[main] INFO dev.rightsize - ").contains(LIMIT)
        .doesNotContain("SLF4J:").doesNotContain("SLF4J(W)").doesNotContain("NOP");
  }

  private static String consumerSource(boolean micrometer) {
    String metrics = !micrometer ? "" : """
            io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
            try (dev.rightsize.monitor.ResourceMonitor monitor =
                dev.rightsize.monitor.ResourceMonitor.builder().root(root).build()) {
              new dev.rightsize.micrometer.ContainerMetrics(monitor).bindTo(registry);
              System.out.println("container.memory.limit="
                  + registry.get("container.memory.limit").gauge().value());
            }
        """;
    return """
        package consumer;

        import dev.rightsize.ContainerResources;
        import dev.rightsize.report.StartupReport;
        import java.nio.file.Path;

        public class Main {
          public static void main(String[] args) {
            Path root = Path.of(args[0]);
            ContainerResources r = ContainerResources.detect(root);
            StartupReport.of(r).log();
            System.out.println("cpu.effective=" + r.cpu().effective());
            System.out.println("memory.limit=" + r.memory().limitBytes().value().getAsLong());
        %s  }
        }
        """.formatted(metrics);
  }

  /** The library as built by this build: target/classes, an exploded module (module-info.class). */
  private static Path libraryClasses() throws Exception {
    Path classes = Path.of(ContainerResources.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertThat(classes.resolve("module-info.class")).exists();
    return classes;
  }

  private static List<Path> testClassPathJars(String... prefixes) {
    List<Path> jars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(Path::of)
        .filter(p -> Arrays.stream(prefixes).anyMatch(x -> p.getFileName().toString().startsWith(x)))
        .toList();
    assertThat(jars).as("jars %s on the test class path", Arrays.toString(prefixes)).isNotEmpty();
    return jars;
  }

  /** Jars the build copied for this test (maven-dependency-plugin, execution consumer-matrix-jars). */
  private static List<Path> consumerLibs(String prefix) throws IOException {
    Path libs = Path.of(System.getProperty("rightsize.consumerLibs", "target/consumer-libs"));
    try (Stream<Path> s = Files.list(libs)) {
      List<Path> jars = s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
      assertThat(jars).as("%s*.jar in %s", prefix, libs).hasSize(1);
      return jars;
    }
  }

  private static String join(List<Path> paths) {
    return String.join(File.pathSeparator, paths.stream().map(Path::toString).toList());
  }
}

package dev.rightsize;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The four jars {@code mvn package} builds, as Maven Central and a user receive them: the license
 * in each, the CLI jar relocated and minimized, the pom's Central metadata, the javadoc footer.
 */
class PackagedJarsIT {
  private static Path cli;
  private static Path lib;
  private static Path sources;
  private static Path javadoc;

  @BeforeAll
  static void jars() {
    String p = System.getProperty("rightsize.cliJar");
    assertThat(p).as("system property rightsize.cliJar (set by failsafe)").isNotNull();
    cli = Path.of(p);
    String base = cli.getFileName().toString().replace("-cli.jar", "");
    lib = cli.resolveSibling(base + ".jar");
    sources = cli.resolveSibling(base + "-sources.jar");
    javadoc = cli.resolveSibling(base + "-javadoc.jar");
  }

  @Test
  void everyJarCarriesTheProjectsLicense() throws IOException {
    byte[] license = Files.readAllBytes(Path.of("LICENSE"));
    for (Path jar : List.of(lib, cli, sources, javadoc)) {
      assertThat(entry(jar, "META-INF/LICENSE")).as("%s META-INF/LICENSE", jar.getFileName()).isEqualTo(license);
    }
  }

  @Test
  void cliJarBundlesOnlyRelocatedMinimizedDependencies() throws IOException {
    List<String> names = names(cli);
    assertThat(names).noneMatch(n -> n.startsWith("com/") || n.startsWith("org/") || n.startsWith("io/"))
        .noneMatch(n -> n.startsWith("dev/rightsize/spring/") || n.startsWith("dev/rightsize/micrometer/"))
        .noneMatch(n -> n.startsWith("META-INF/spring/"))
        .contains("dev/rightsize/shaded/com/google/common/base/Ticker.class", "META-INF/THIRD-PARTY-NOTICES");
    long guava = names.stream().filter(n -> n.startsWith("dev/rightsize/shaded/com/google/")).count();
    assertThat(guava).as("Guava classes left after minimizing (1,990 unminimized)").isBetween(1L, 300L);
    assertThat(Files.size(cli)).as("CLI jar bytes").isLessThan(1_000_000L);
    assertThat(new String(entry(cli, "META-INF/THIRD-PARTY-NOTICES"), StandardCharsets.UTF_8))
        .contains("Guava").contains("SLF4J").contains("MIT License");
  }

  @Test
  void cliJarRunsAndKnowsItsVersion() throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xshare:auto", "-jar", cli.toString(), "--version").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    String base = cli.getFileName().toString().replace("-cli.jar", "");
    assertThat(out.strip()).isEqualTo("rightsize " + base.substring("rightsize-".length()));
  }

  @Test
  void libraryJarIsTheModuleWithTheSpringRegistration() throws IOException {
    assertThat(names(lib)).contains("module-info.class",
        "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports",
        "dev/rightsize/spring/RightsizeAutoConfiguration.class")
        .noneMatch(n -> n.startsWith("dev/rightsize/shaded/") || n.startsWith("com/google/"));
  }

  @Test
  void pomInTheJarHasWhatMavenCentralRequires() throws IOException {
    String pom = new String(entry(lib, "META-INF/maven/dev.rightsize/rightsize/pom.xml"), StandardCharsets.UTF_8);
    assertThat(pom).contains("<url>https://").contains("<licenses>").contains("Apache License, Version 2.0")
        .contains("<developers>").contains("<scm>").contains("<connection>scm:git:");
  }

  @Test
  void javadocFooterNamesTheLicenseNotAllRightsReserved() throws IOException {
    String page = new String(entry(javadoc, "dev.rightsize/dev/rightsize/ContainerResources.html"),
        StandardCharsets.UTF_8);
    assertThat(page).contains("Apache License, Version 2.0").doesNotContain("All rights reserved");
    assertThat(names(sources)).contains("dev/rightsize/ContainerResources.java", "module-info.java");
  }

  private static List<String> names(Path jar) throws IOException {
    try (JarFile j = new JarFile(jar.toFile())) {
      return j.stream().map(ZipEntry::getName).toList();
    }
  }

  private static byte[] entry(Path jar, String name) throws IOException {
    try (JarFile j = new JarFile(jar.toFile())) {
      ZipEntry e = j.getEntry(name);
      assertThat(e).as("%s in %s", name, jar.getFileName()).isNotNull();
      return j.getInputStream(e).readAllBytes();
    }
  }
}

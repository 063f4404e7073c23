package dev.rightsize.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rightsize.internal.CgroupLayout.Controller;
import dev.rightsize.internal.MountInfo.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupLayoutTest {
  @TempDir Path root;

  private Optional<Controller> map(String mountRoot, String cgroupPath, Diagnostics d) {
    Mount m = MountInfo.parseLine("35 31 0:32 " + mountRoot + " /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory");
    return Optional.ofNullable(CgroupLayout.mapPath("memory", CgroupLayout.Version.V1, m, cgroupPath,
        new ViewFs(root, 100, d), d).controller());
  }

  private void mkdirs(String p) throws IOException {
    Files.createDirectories(root.resolve(p.substring(1)));
  }

  @Test
  void bareHostJoinsMountPointAndPathAndWalksUpToTheMountPoint() throws IOException {
    mkdirs("/sys/fs/cgroup/memory/kubepods/pod1/ctr");
    Controller c = map("/", "/kubepods/pod1/ctr", new Diagnostics()).orElseThrow();
    assertThat(c.dir()).isEqualTo("/sys/fs/cgroup/memory/kubepods/pod1/ctr");
    assertThat(c.chain()).containsExactly("/sys/fs/cgroup/memory/kubepods/pod1/ctr",
        "/sys/fs/cgroup/memory/kubepods/pod1", "/sys/fs/cgroup/memory/kubepods", "/sys/fs/cgroup/memory");
  }

  @Test
  void containerRuntimeLayoutMountRootEqualsPath() throws IOException {
    mkdirs("/sys/fs/cgroup/memory");
    Controller c = map("/docker/abc", "/docker/abc", new Diagnostics()).orElseThrow();
    assertThat(c.dir()).isEqualTo("/sys/fs/cgroup/memory");
    assertThat(c.chain()).containsExactly("/sys/fs/cgroup/memory");
  }

  @Test
  void processMovedIntoSubgroupOfTheMountedCgroup() throws IOException {
    mkdirs("/sys/fs/cgroup/memory/sub");
    Controller c = map("/docker/abc", "/docker/abc/sub", new Diagnostics()).orElseThrow();
    assertThat(c.dir()).isEqualTo("/sys/fs/cgroup/memory/sub");
  }

  @Test
  void privateNamespaceBothRoots() throws IOException {
    mkdirs("/sys/fs/cgroup/memory");
    Controller c = map("/", "/", new Diagnostics()).orElseThrow();
    assertThat(c.dir()).isEqualTo("/sys/fs/cgroup/memory");
  }

  @Test
  void hostPathThroughContainerMountTriesSuffixesUntilADirectoryExists() throws IOException {
    // JDK-8343191: mount root is the container's, /proc/self/cgroup shows a host path.
    mkdirs("/sys/fs/cgroup/memory/pod1/ctr");
    Controller c = map("/docker/other", "/kubepods/pod1/ctr", new Diagnostics()).orElseThrow();
    assertThat(c.dir()).isEqualTo("/sys/fs/cgroup/memory/pod1/ctr");
  }

  @Test
  void hostPathWithNoMatchingSuffixFallsBackToTheMountPoint() throws IOException {
    mkdirs("/sys/fs/cgroup/memory");
    Controller c = map("/docker/other", "/kubepods/pod1/ctr", new Diagnostics()).orElseThrow();
    assertThat(c.dir()).isEqualTo("/sys/fs/cgroup/memory");
  }

  @Test
  void dotDotInThePathIsRefusedWithAWarning() throws IOException {
    mkdirs("/sys/fs/cgroup/memory");
    mkdirs("/sys/fs/cgroup/secret");
    Diagnostics d = new Diagnostics();
    assertThat(map("/", "/../secret", d)).isEmpty();
    assertThat(d.warnings()).extracting(w -> w.code().id()).containsExactly("cgroup-path-outside-mount");
    assertThat(d.warnings().get(0).file()).contains("/proc/self/mountinfo");
  }

  @Test
  void foreignNamespaceMountRootWithDotDotIsRefused() throws IOException {
    // A private cgroup namespace still seeing the old mount: its root reads /../.. .
    mkdirs("/sys/fs/cgroup/memory");
    Diagnostics d = new Diagnostics();
    assertThat(map("/../..", "/", d)).isEmpty();
    assertThat(d.warnings()).extracting(w -> w.code().id()).containsExactly("cgroup-path-outside-mount");
  }

  @Test
  void missingDirectoryOnBareHostWarnsAndReadsTheMountPoint() throws IOException {
    mkdirs("/sys/fs/cgroup/memory");
    Diagnostics d = new Diagnostics();
    Controller c = map("/", "/gone", d).orElseThrow();
    assertThat(c.dir()).isEqualTo("/sys/fs/cgroup/memory");
    assertThat(d.warnings()).extracting(w -> w.code().id()).containsExactly("cgroup-dir-missing");
  }

  @Test
  void missingMountPointGivesNothing() {
    Diagnostics d = new Diagnostics();
    assertThat(map("/", "/x", d)).isEmpty();
    assertThat(d.warnings()).extracting(w -> w.code().id()).containsExactly("cgroup-dir-missing");
  }

  @Test
  void theCgroup2MountVisibleLastWins() throws IOException {
    // Two unified mounts, the second over the first's place elsewhere (a runtime that remounts the
    // container's cgroup): mountinfo lists mounts in mount order, and the later one is what a path
    // resolves through, as for v1 controllers (fixture v1-overmounted-last-wins).
    mkdirs("/sys/fs/cgroup/app");
    mkdirs("/old/unified/app");
    Files.writeString(root.resolve("sys/fs/cgroup/cgroup.controllers"), "cpu memory\n");
    Files.writeString(root.resolve("old/unified/cgroup.controllers"), "cpu memory\n");
    java.util.List<Mount> mounts = java.util.List.of(
        MountInfo.parseLine("30 1 0:26 / /old/unified rw - cgroup2 cgroup2 rw"),
        MountInfo.parseLine("31 1 0:27 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw"));
    Diagnostics d = new Diagnostics();
    CgroupLayout l = CgroupLayout.resolve(mounts,
        CgroupMembership.parse("0::/app\n", new java.util.ArrayList<>()), new ViewFs(root, 100, d), d);
    assertThat(l.get("memory").orElseThrow().dir()).isEqualTo("/sys/fs/cgroup/app");
    assertThat(l.get("cpu").orElseThrow().mount().device()).isEqualTo("0:27");
    assertThat(d.warnings()).isEmpty();
  }

  @Test
  void aMountedControllerWithoutAMembershipLineIsUnknownWithAWarning() throws IOException {
    mkdirs("/sys/fs/cgroup/memory");
    Diagnostics d = new Diagnostics();
    CgroupLayout l = CgroupLayout.resolve(
        java.util.List.of(MountInfo.parseLine("35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory")),
        CgroupMembership.parse("3:cpu:/app\n", new java.util.ArrayList<>()), new ViewFs(root, 100, d), d);
    assertThat(l.get("memory")).isEmpty();
    assertThat(l.isUnknown("memory")).isTrue();
    assertThat(l.hierarchyOf("memory")).contains(CgroupLayout.Version.V1);
    assertThat(d.warnings()).singleElement().satisfies(w -> {
      assertThat(w.code()).isEqualTo(dev.rightsize.WarningCode.CGROUP_NOT_MEMBER);
      assertThat(w.file()).hasValue("/proc/self/cgroup");
      assertThat(w.message()).isEqualTo("the memory controller is mounted but /proc/self/cgroup has no line for it;"
          + " its limits are unknown");
    });
  }
  private CgroupLayout resolveV2(String cgroupFile, Diagnostics d) {
    return CgroupLayout.resolve(java.util.List.of(MountInfo.parseLine("31 1 0:27 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw")),
        CgroupMembership.parse(cgroupFile, new java.util.ArrayList<>()), new ViewFs(root, 100, d), d);
  }

  @Test
  void anUnreadableControllerListMakesTheUnifiedControllersUnknown() throws IOException {
    mkdirs("/sys/fs/cgroup/app");
    mkdirs("/sys/fs/cgroup/cgroup.controllers"); // reading a directory fails
    Diagnostics d = new Diagnostics();
    CgroupLayout l = resolveV2("0::/app\n", d);
    assertThat(l.get("memory")).isEmpty();
    assertThat(l.isUnknown("memory")).isTrue();
    assertThat(l.isUnknown("cpu")).isTrue();
    assertThat(d.warnings()).singleElement().satisfies(w -> {
      assertThat(w.code()).isEqualTo(dev.rightsize.WarningCode.READ_FAILED);
      assertThat(w.file()).hasValue("/sys/fs/cgroup/cgroup.controllers");
      assertThat(w.message()).startsWith("could not read the unified hierarchy's controllers (")
          .endsWith("); the controllers it serves are unknown");
    });
  }

  @Test
  void aMissingControllerListUnderAnExistingMountPointIsAFailedRead() throws IOException {
    // cgroup-v2.rst: every cgroup, the root included, has cgroup.controllers.
    mkdirs("/sys/fs/cgroup/app");
    Diagnostics d = new Diagnostics();
    CgroupLayout l = resolveV2("0::/app\n", d);
    assertThat(l.isUnknown("memory")).isTrue();
    assertThat(d.warnings()).extracting(w -> w.code()).containsExactly(dev.rightsize.WarningCode.READ_FAILED);
  }

  @Test
  void aUnifiedMountPointNotCapturedIsNoHierarchyAndNoWarning() {
    // Neither the mount point nor its files exist in the view: nothing was captured to read.
    Diagnostics d = new Diagnostics();
    CgroupLayout l = resolveV2("0::/app\n", d);
    assertThat(l.get("memory")).isEmpty();
    assertThat(l.isUnknown("memory")).isFalse();
    assertThat(d.warnings()).isEmpty();
  }

  @Test
  void aCgroupMountPointWithDotDotIsSkippedButOtherMountsAreNot() throws IOException {
    mkdirs("/sys/fs/cgroup/memory/app");
    mkdirs("/data/app");
    Diagnostics d = new Diagnostics();
    CgroupLayout l = CgroupLayout.resolve(java.util.List.of(
            MountInfo.parseLine("35 31 0:32 / /sys/fs/cgroup/../memory rw - cgroup cgroup rw,memory"),
            MountInfo.parseLine("36 31 8:1 / /data/../data rw - ext4 /dev/sda1 rw")),
        CgroupMembership.parse("4:memory:/app\n", new java.util.ArrayList<>()), new ViewFs(root, 100, d), d);
    assertThat(l.get("memory")).isEmpty();
    assertThat(l.hierarchyOf("memory")).isEmpty(); // the skipped mount serves nothing
    assertThat(d.warnings()).singleElement().satisfies(w -> {
      assertThat(w.code()).isEqualTo(dev.rightsize.WarningCode.CGROUP_PATH_OUTSIDE_MOUNT);
      assertThat(w.file()).hasValue("/proc/self/mountinfo");
      assertThat(w.message()).isEqualTo("cgroup mount point /sys/fs/cgroup/../memory has a '..' component; it is not read");
    });
  }

  @Test
  void aPathBelowTheMountRootWinsOverAHostPathSuffix() throws IOException {
    // The container's cgroup /docker/abc is mounted; the process sits in /docker/abc/sub, which is
    // <mount point>/sub. A directory <mount point>/abc/sub (a suffix of the host path) is another cgroup.
    mkdirs("/sys/fs/cgroup/memory/sub");
    mkdirs("/sys/fs/cgroup/memory/abc/sub");
    Controller c = map("/docker/abc", "/docker/abc/sub", new Diagnostics()).orElseThrow();
    assertThat(c.dir()).isEqualTo("/sys/fs/cgroup/memory/sub");
  }

  @Test
  void aHierarchyMountedAtTheRootWalksUpToTheRoot() throws IOException {
    mkdirs("/app");
    Mount m = MountInfo.parseLine("35 1 0:32 / / rw - cgroup2 cgroup2 rw");
    Diagnostics d = new Diagnostics();
    Controller c = CgroupLayout.mapPath("memory", CgroupLayout.Version.V2, m, "/app", new ViewFs(root, 100, d), d)
        .controller();
    assertThat(c.dir()).isEqualTo("/app");
    assertThat(c.chain()).containsExactly("/app", "/");
  }
}

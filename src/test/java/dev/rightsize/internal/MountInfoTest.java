package dev.rightsize.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rightsize.internal.MountInfo.Mount;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountInfoTest {

  @Test
  void readsOptionalFieldsAndSuperOptions() {
    List<String> bad = new ArrayList<>();
    List<Mount> m = MountInfo.parse(
        "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:9 master:3 - cgroup cgroup rw,cpu,cpuacct\n", bad);
    assertThat(bad).isEmpty();
    assertThat(m).hasSize(1);
    Mount c = m.get(0);
    assertThat(c.mountPoint()).isEqualTo("/sys/fs/cgroup/cpu,cpuacct");
    assertThat(c.root()).isEqualTo("/");
    assertThat(c.fsType()).isEqualTo("cgroup");
    assertThat(c.isV1For("cpu")).isTrue();
    assertThat(c.isV1For("cpuacct")).isTrue();
    assertThat(c.isV1For("memory")).isFalse();
    assertThat(c.device()).isEqualTo("0:29");
  }

  @Test
  void readsLinesWithoutOptionalFields() {
    Mount c = MountInfo.parseLine("41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw");
    assertThat(c.fsType()).isEqualTo("cgroup2");
    assertThat(c.superOptions()).containsExactly("rw");
  }

  @Test
  void unescapesOctalEscapes() {
    Mount c = MountInfo.parseLine("50 49 0:29 /a\\134b /sys/fs/cgroup/my\\040cpu rw - cgroup cg\\011x rw,cpu");
    assertThat(c.mountPoint()).isEqualTo("/sys/fs/cgroup/my cpu");
    assertThat(c.root()).isEqualTo("/a\\b");
    assertThat(c.source()).isEqualTo("cg\tx");
    assertThat(MountInfo.unescape("\\012end\\")).isEqualTo("\nend\\");
    assertThat(MountInfo.unescape("\\9zz")).isEqualTo("\\9zz");
  }

  @Test
  void superOptionsWithSpacesAreKeptWhole() {
    // WSL prints super options with spaces (automaxprocs v1.5.3 changelog).
    Mount c = MountInfo.parseLine("1 0 0:1 / /mnt/c rw - 9p drvfs rw,dirsync,aname=drvfs;path=C:\\;uid=0,x y");
    assertThat(c.fsType()).isEqualTo("9p");
    assertThat(c.superOptions()).contains("x y");
  }

  @Test
  void readsLxcfsBinds() {
    Mount c = MountInfo.parseLine(
        "600 590 0:41 /proc/meminfo /proc/meminfo rw,nosuid,nodev,relatime - fuse.lxcfs lxcfs rw,user_id=0,group_id=0,allow_other");
    assertThat(c.fsType()).isEqualTo("fuse.lxcfs");
    assertThat(c.mountPoint()).isEqualTo("/proc/meminfo");
    assertThat(c.root()).isEqualTo("/proc/meminfo");
  }

  @Test
  void skipsMalformedLinesAndKeepsTheRest() {
    List<String> bad = new ArrayList<>();
    List<Mount> m = MountInfo.parse(String.join("\n",
        "garbage",
        "1 2 3",
        "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
        "31 23 0:28 / /x rw,relatime no-dash-here tmpfs tmpfs rw",
        "31 23 0:28 / /y rw -"), bad);
    assertThat(m).extracting(Mount::mountPoint).containsExactly("/sys/fs/cgroup");
    assertThat(bad).hasSize(4);
  }

  @org.junit.jupiter.api.Test
  void relevantOnlyKeepsCgroupFuseAndRootMountsAndStillRejectsGarbage() {
    String mi = String.join("\n",
        "22 1 254:0 / / rw,relatime - ext4 /dev/vda rw",
        "23 22 0:5 / /proc rw - proc proc rw",
        "31 22 0:28 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory",
        "50 23 0:41 /proc/meminfo /proc/meminfo rw - fuse.lxcfs lxcfs rw",
        "60 22 0:26 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw",
        "this line has no separator",
        "");
    java.util.List<String> bad = new java.util.ArrayList<>();
    java.util.List<MountInfo.Mount> m = MountInfo.parse(mi, bad, true);
    assertThat(m).extracting(MountInfo.Mount::mountPoint)
        .containsExactly("/", "/sys/fs/cgroup/memory", "/proc/meminfo", "/sys/fs/cgroup/unified");
    assertThat(bad).containsExactly("this line has no separator");
    assertThat(MountInfo.parse(mi, new java.util.ArrayList<>(), false)).hasSize(5);
  }
  @Test
  void relevantOnlyLeavesALineWithoutTheSpacedSeparatorToTheFullParser() {
    // The full parser splits on any whitespace, so a tab around "-" still parses; the cheap look
    // that skips irrelevant mounts searches " - " and must not drop such a line as garbage.
    String mi = "60 22 0:26 / /sys/fs/cgroup rw\t-\tcgroup2 cgroup2 rw\n";
    List<String> bad = new ArrayList<>();
    assertThat(MountInfo.parse(mi, bad, true)).extracting(Mount::mountPoint).containsExactly("/sys/fs/cgroup");
    assertThat(bad).isEmpty();
  }
}

package dev.rightsize.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rightsize.internal.CgroupMembership.Entry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CgroupMembershipTest {

  @Test
  void readsCoMountedNamedUnifiedAndColonPaths() {
    List<String> bad = new ArrayList<>();
    List<Entry> e = CgroupMembership.parse(String.join("\n",
        "12:name=systemd:/user.slice",
        "4:cpu,cpuacct:/kubepods/pod1:x/ctr",
        "3:memory:/kubepods/pod1",
        "0::/",
        "") , bad);
    assertThat(bad).isEmpty();
    assertThat(e).hasSize(4);
    assertThat(e.get(0).controllers()).containsExactly("name=systemd");
    assertThat(e.get(1).controllers()).containsExactlyInAnyOrder("cpu", "cpuacct");
    assertThat(e.get(1).path()).isEqualTo("/kubepods/pod1:x/ctr");
    assertThat(e.get(3).hierarchyId()).isZero();
    assertThat(e.get(3).controllers()).isEmpty();
    assertThat(e.get(3).path()).isEqualTo("/");
  }

  @Test
  void stripsDeletedSuffixAndRejectsGarbage() {
    List<String> bad = new ArrayList<>();
    List<Entry> e = CgroupMembership.parse("3:memory:/gone (deleted)\nx:memory:/a\n5:cpu\n6:cpu:relative\n", bad);
    assertThat(e).extracting(Entry::path).containsExactly("/gone");
    assertThat(bad).hasSize(3);
  }
  @Test
  void hierarchyIdsUpToIntMaxAreRead() {
    // The kernel's hierarchy ids are ints (kernel/cgroup/cgroup.c prints "%d:"): 2147483647 is the
    // largest one, 2147483648 cannot come from a kernel.
    List<String> bad = new ArrayList<>();
    List<Entry> e = CgroupMembership.parse("2147483647:cpu:/a\n2147483648:memory:/b\n", bad);
    assertThat(e).singleElement().satisfies(x -> {
      assertThat(x.hierarchyId()).isEqualTo(Integer.MAX_VALUE);
      assertThat(x.path()).isEqualTo("/a");
    });
    assertThat(bad).containsExactly("2147483648:memory:/b");
  }
}

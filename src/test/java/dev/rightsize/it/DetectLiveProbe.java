package dev.rightsize.it;

import dev.rightsize.ContainerResources;
import dev.rightsize.Provenance;
import dev.rightsize.Value;
import dev.rightsize.internal.ViewFs;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A child JVM for {@link DetectLiveIT}: answers {@code detect}, {@code loop N} and {@code exit} on
 * stdin with one line each, so the test can change the kernel's state between two detections of
 * one JVM.
 */
public final class DetectLiveProbe {
  private DetectLiveProbe() {}

  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("READY");
    System.out.flush();
    for (String line; (line = in.readLine()) != null; ) {
      String[] c = line.strip().split(" ");
      if (c[0].equals("exit")) {
        System.out.println("BYE");
        return;
      }
      int n = c[0].equals("loop") ? Integer.parseInt(c[1]) : 1;
      ContainerResources r = null;
      for (int i = 0; i < n; i++) {
        r = ContainerResources.detect();
      }
      System.out.println("D source=" + r.source().id() + " view=" + r.memory().isolatedViewTotalBytes().orElse(-1)
          + " limit=" + r.memory().limitBytes() + " limitFile="
          + r.provenanceOf(Value.MEMORY_LIMIT).map(Provenance::file).orElse("none")
          + " quota=" + r.cpu().quotaMicros() + " usageFile="
          + r.provenanceOf(Value.MEMORY_USAGE).map(Provenance::file).orElse("none")
          + " fds=" + fds() + " kept=" + ViewFs.keptCount() + " warnings=" + r.warnings().size());
      System.out.flush();
    }
  }

  private static int fds() {
    String[] l = new File("/proc/self/fd").list();
    return l == null ? -1 : l.length;
  }
}

package dev.rightsize.spring;

import dev.rightsize.ContainerResources;
import dev.rightsize.Cpu;
import dev.rightsize.Memory;
import dev.rightsize.report.Finding;
import dev.rightsize.report.StartupReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The report as nested maps, for Spring's JSON writer; absent values are null and {@code unknown}
 * lists what could not be determined, as in the CLI's JSON.
 */
final class Details {
  private Details() {}

  static Map<String, Object> of(StartupReport report, boolean recommendations) {
    ContainerResources r = report.resources();
    Cpu c = r.cpu();
    Memory m = r.memory();
    Map<String, Object> cpu = new LinkedHashMap<>();
    cpu.put("effective", c.effective());
    cpu.put("limit", value(c.limit()));
    cpu.put("cpuset", value(c.cpuset()));
    Map<String, Object> memory = new LinkedHashMap<>();
    memory.put("limit", value(m.limitBytes().value()));
    memory.put("softLimit", value(m.softLimitBytes().value()));
    memory.put("usage", value(m.usageBytes()));
    memory.put("workingSet", value(m.workingSetBytes()));
    memory.put("oomKills", value(m.oomKills()));
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("source", r.source().id());
    d.put("cgroupVersion", value(r.cgroupVersion()));
    d.put("cpu", cpu);
    d.put("memory", memory);
    List<String> unknown = new java.util.ArrayList<>();
    for (dev.rightsize.Value v : r.unknown()) {
      unknown.add(v.key());
    }
    d.put("unknown", unknown);
    d.put("warnings", r.warnings().stream().map(w -> {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("code", w.code().id());
      o.put("message", w.message());
      o.put("file", w.file().orElse(null));
      return o;
    }).toList());
    d.put("findings", findings(report.findings()));
    if (recommendations) {
      Map<String, Object> rec = new LinkedHashMap<>();
      rec.put("cpuBoundThreads", report.threadPools().cpuBound());
      rec.put("jvmFlags", report.jvmMemory().map(j -> (Object) j.flagsLine()).orElse(null));
      rec.put("jvmMemoryError", report.memoryError().orElse(null));
      d.put("recommended", rec);
    }
    return d;
  }

  private static List<Map<String, Object>> findings(List<Finding> findings) {
    return findings.stream().map(f -> {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("code", f.code());
      o.put("severity", f.severity().name());
      o.put("message", f.message());
      o.put("fix", f.fix());
      return o;
    }).toList();
  }

  private static Object value(OptionalLong v) {
    return v.isPresent() ? v.getAsLong() : null;
  }

  private static Object value(OptionalInt v) {
    return v.isPresent() ? v.getAsInt() : null;
  }

  private static Object value(OptionalDouble v) {
    return v.isPresent() ? v.getAsDouble() : null;
  }
}

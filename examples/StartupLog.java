// Logs the startup report through SLF4J: one INFO block, then each problem again at WARN.
//
// Run (after `mvn package`; any SLF4J 1.7 or 2.x backend works, slf4j-simple 1.7.36 shown, which
// matches the slf4j-api 1.7.36 in target/runtime-classpath.txt; with a 2.x backend, put slf4j-api 2.x
// first on the class path):
//   java -cp target/rightsize-0.1.0-SNAPSHOT.jar:$(cat target/runtime-classpath.txt):$HOME/.m2/repository/org/slf4j/slf4j-simple/1.7.36/slf4j-simple-1.7.36.jar \
//        examples/StartupLog.java

import dev.rightsize.report.StartupReport;

public class StartupLog {
  public static void main(String[] args) {
    StartupReport report = StartupReport.create().log();
    // The same content as JSON, e.g. for a /startup endpoint:
    if (args.length > 0 && args[0].equals("--json")) {
      System.out.println(report.toJson());
    }
  }
}

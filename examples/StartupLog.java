// Logs the startup report through SLF4J: one INFO block, then each problem again at WARN.
//
// Run (after `mvn package`; any SLF4J backend works, slf4j-simple shown):
//   java -cp target/rightsize-0.1.0-SNAPSHOT-cli.jar:$HOME/.m2/repository/org/slf4j/slf4j-simple/2.0.20/slf4j-simple-2.0.20.jar \
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

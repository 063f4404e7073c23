package example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A web app with no rightsize code at all: the dependency's auto-configuration logs the startup
 * report, adds the container.* meters (/actuator/prometheus), and the "rightsize" health component
 * and info member (/actuator/health, /actuator/info).
 */
@SpringBootApplication
public class Application {
  public static void main(String[] args) {
    SpringApplication.run(Application.class, args);
  }
}

/**
 * Spring Boot auto-configuration: add the dependency and a Spring Boot application gets the
 * container meters, the startup report in its log, and the {@code rightsize} health and info
 * contributions, without code. Active only when Spring Boot is on the class path; each part can be
 * switched off with a {@code rightsize.*} property (see {@link dev.rightsize.spring.RightsizeAutoConfiguration}).
 * Needs {@code spring-boot-autoconfigure} (and, for health and info, {@code spring-boot-actuator}),
 * optional dependencies.
 */
package dev.rightsize.spring;

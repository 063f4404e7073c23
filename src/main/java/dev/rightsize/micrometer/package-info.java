/** Micrometer gauges for container limits and usage; needs micrometer-core, an optional dependency. */
package dev.rightsize.micrometer;

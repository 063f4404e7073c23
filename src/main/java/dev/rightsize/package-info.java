/** rightsize: container-true CPU and memory for the JVM, with provenance. Start at {@link dev.rightsize.ContainerResources}. */
package dev.rightsize;

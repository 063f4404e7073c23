/** Thread-pool and JVM memory sizing computed from detected container resources. */
package dev.rightsize.sizing;

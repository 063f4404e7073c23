/** Internals: mount table, cgroup v1/v2 readers, /proc parsers, file access. Not exported; no compatibility promise. */
package dev.rightsize.internal;

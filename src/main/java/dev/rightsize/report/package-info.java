/** Startup report (text and JSON) of what was detected, what the JVM believes, and findings to act on. */
package dev.rightsize.report;

/** Live usage and limit-change monitoring with kept-open files. */
package dev.rightsize.monitor;

/** The command-line entry point ({@code java -jar rightsize-cli.jar}). */
package dev.rightsize.cli;

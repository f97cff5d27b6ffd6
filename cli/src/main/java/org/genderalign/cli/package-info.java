/**
 * The command line: one picocli command per task, each a thin layer that fills the library's
 * config records and calls the library. {@link org.genderalign.cli.GenderAlignCli} is the entry.
 */
package org.genderalign.cli;

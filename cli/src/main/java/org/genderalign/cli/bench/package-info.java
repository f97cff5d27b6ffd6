/** The {@code bench} command group: benchmarks that print measured figures. */
package org.genderalign.cli.bench;

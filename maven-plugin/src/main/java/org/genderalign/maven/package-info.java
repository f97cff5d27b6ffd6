/**
 * Maven goals: thin layers over the library, filling the same config records as the CLI.
 * {@code genderalign:verify-data} checks the data root.
 */
package org.genderalign.maven;

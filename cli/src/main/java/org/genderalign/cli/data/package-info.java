/** {@code genderalign data}: verify, list and fetch the registered external files. */
package org.genderalign.cli.data;

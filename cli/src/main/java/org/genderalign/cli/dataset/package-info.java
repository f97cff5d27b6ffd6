/** {@code genderalign dataset}: import preference and SFT data into the project's formats, and summarise it. */
package org.genderalign.cli.dataset;

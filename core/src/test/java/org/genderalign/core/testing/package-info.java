/** Test helpers shared with other modules' tests through the core test-jar. */
package org.genderalign.core.testing;

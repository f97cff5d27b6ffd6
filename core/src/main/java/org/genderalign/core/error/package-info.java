/** Error types with the location and the expectation a user needs to fix bad input. */
package org.genderalign.core.error;

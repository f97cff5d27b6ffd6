/** The data model every module shares: preference pairs, unpaired (binary-feedback) examples and SFT examples. */
package org.genderalign.core.data;

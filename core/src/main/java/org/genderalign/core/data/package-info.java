/** The data model every module shares: preference pairs and SFT examples. */
package org.genderalign.core.data;

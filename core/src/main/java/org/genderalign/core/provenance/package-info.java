/** Provenance of every artifact: build version, git revision, config, input hashes, seed. */
package org.genderalign.core.provenance;

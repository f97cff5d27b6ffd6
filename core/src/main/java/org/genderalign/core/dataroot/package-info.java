/**
 * The data root: where external data sets and model files live, the registry of them
 * (id, path, size, sha256, licence, source), and their verification (README, section 'Data root').
 */
package org.genderalign.core.dataroot;

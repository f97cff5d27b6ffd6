/** File helpers every module uses: atomic writes and SHA-256 hashing. */
package org.genderalign.core.io;

/** {@code genderalign run}: the main job, chaining the other commands end to end. */
package org.genderalign.cli.pipeline;

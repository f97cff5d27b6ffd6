/** The {@code train} command group: {@code train sft}, {@code train dpo} and {@code train reward}, thin layers over the trainer. */
package org.genderalign.cli.train;

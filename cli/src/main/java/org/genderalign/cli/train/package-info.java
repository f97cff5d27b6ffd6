/** The {@code train} command group: {@code train sft} and {@code train dpo}, thin layers over the trainer. */
package org.genderalign.cli.train;

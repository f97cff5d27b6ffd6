/** The {@code train} command group: {@code train sft}, {@code dpo}, {@code kto} and {@code reward}, thin layers over the trainer. */
package org.genderalign.cli.train;

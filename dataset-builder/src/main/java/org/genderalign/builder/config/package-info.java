/**
 * The build configuration: immutable, validated records with documented {@code DEFAULT_*}
 * constants, read from a JSON file ({@code --config}) and overridden by CLI flags. The exact
 * config of a build is written next to its outputs as provenance.
 */
package org.genderalign.builder.config;

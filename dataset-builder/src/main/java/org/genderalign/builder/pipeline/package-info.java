/**
 * The resumable build pipeline: seeds → generation (journaled per seed batch) → filters →
 * categorisation and rebalancing → grouped stratified split → export. {@link
 * org.genderalign.builder.pipeline.DatasetBuilder} is the one entry point the CLI and tests call.
 */
package org.genderalign.builder.pipeline;

package org.genderalign.builder.seed;

import java.io.IOException;
import java.util.List;
import org.genderalign.core.dataroot.DataRoot;

/**
 * A seed corpus, registered by id in {@link SeedSources}. Loading returns the raw texts that the
 * corpus labels as biased, in file order; preparation (normalise, filter, dedupe, scrub) is
 * {@link SeedPreparer}'s job.
 */
public interface SeedSource {

  /** The id used in configs, e.g. {@code edos}. */
  String id();

  /** Licence of the corpus (for the dataset card). */
  String licence();

  /** Where it comes from (for the dataset card). */
  String origin();

  /** The data-root file ids this source reads (their hashes go into provenance). */
  List<String> dataFileIds();

  /** Loads the biased texts. */
  List<Seed> load(DataRoot root) throws IOException;
}

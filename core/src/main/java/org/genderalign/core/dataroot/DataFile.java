package org.genderalign.core.dataroot;

/**
 * One registered external file (a data set, lexicon, benchmark or model file).
 *
 * @param id short stable id, e.g. {@code hh-rlhf-harmless-test}
 * @param path path relative to the data root, e.g. {@code data/hh-rlhf/harmless-base/test.jsonl.gz}
 * @param bytes expected size
 * @param sha256 expected SHA-256, lowercase hex
 * @param licence licence as its authors state it
 * @param description what it is, in a few words
 * @param source the original project or page
 * @param download direct download URL, or null when the mirrored file is derived
 * @param howToObtain instructions when there is no direct download, else null
 */
public record DataFile(
    String id,
    String path,
    long bytes,
    String sha256,
    String licence,
    String description,
    String source,
    String download,
    String howToObtain) {

  /** How a user gets this file, for error messages. */
  public String obtainHint() {
    if (download != null) {
      return "run './genderalign data fetch --only " + id + "' (downloads " + download
          + "), or point --data-root / GENDERALIGN_DATA_ROOT at a mirror that has " + path;
    }
    return "point --data-root / GENDERALIGN_DATA_ROOT at a mirror that has " + path + " ("
        + howToObtain + ")";
  }
}

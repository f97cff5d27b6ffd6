package org.genderalign.taxonomy.exemplar;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * The analyzer of the exemplar index: standard tokenizer, lower case, possessives dropped, a
 * short stop list, Porter stemming. Unlike Lucene's English stop set it keeps negations
 * ({@code not}, {@code no}), comparatives ({@code than}, {@code more}) and modals
 * ({@code should}): they carry the stance that separates endorsing a stereotype from refuting it.
 */
public final class TaxonomyAnalyzer extends Analyzer {

  /** Words with no bearing on stance or topic. */
  public static final CharArraySet STOP_WORDS = CharArraySet.unmodifiableSet(new CharArraySet(
      java.util.List.of("a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "for", "with",
          "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these",
          "those", "as", "by", "from", "so", "if", "then", "there", "into", "about", "do", "does",
          "did", "i", "you", "we", "my", "your", "our", "me", "us", "can", "could", "would", "will",
          "just", "also", "very", "what", "which", "who", "when", "how", "why", "s"),
      false));

  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    StandardTokenizer src = new StandardTokenizer();
    TokenStream ts = new LowerCaseFilter(src);
    ts = new EnglishPossessiveFilter(ts);
    ts = new StopFilter(ts, STOP_WORDS);
    ts = new PorterStemFilter(ts);
    return new TokenStreamComponents(src, ts);
  }

  @Override
  protected TokenStream normalize(String fieldName, TokenStream in) {
    return new LowerCaseFilter(in);
  }
}

package org.genderalign.taxonomy.exemplar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.genderalign.taxonomy.BiasCategory;

/**
 * An in-memory Lucene index of labelled exemplars, searched with BM25. Three text fields:
 * {@code answer}, {@code question}, and {@code qa} (both together). Built once, then only read;
 * {@link #search} is thread-safe (Lucene's {@link IndexSearcher} is).
 */
public final class ExemplarIndex implements AutoCloseable {

  public static final String F_ID = "id";
  public static final String F_LABEL = "label";
  public static final String F_ANSWER = "answer";
  public static final String F_QUESTION = "question";
  public static final String F_QA = "qa";
  /** Most distinct query terms used from one text: the first 64 carry the stance and topic; more only cost time (measured: same CV and GenderAlign figures as 200). */
  public static final int MAX_QUERY_TERMS = 64;

  /** One retrieved exemplar. */
  public record Hit(String id, BiasCategory label, double score, String answer) {}

  private final Analyzer analyzer = new TaxonomyAnalyzer();
  private final ByteBuffersDirectory dir = new ByteBuffersDirectory();
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final int size;
  // Stored fields are compressed in blocks; decoding them per hit cost ~100 µs, so the few
  // hundred exemplars are read once into arrays indexed by Lucene doc id (the index never changes).
  private final String[] ids;
  private final BiasCategory[] labels;
  private final String[] answers;
  // field → term → its statistics, looked up once: a term-dictionary seek per query term was
  // most of the query time, and terms absent from the exemplars cannot match anyway.
  private final java.util.Map<String, java.util.Map<String, org.apache.lucene.index.TermStates>> vocab =
      new java.util.HashMap<>();

  /** Indexes {@code exemplars} (BM25 with Lucene's defaults k1 = 1.2, b = 0.75). */
  public ExemplarIndex(Collection<Exemplar> exemplars) {
    try {
      IndexWriterConfig cfg = new IndexWriterConfig(analyzer).setSimilarity(new BM25Similarity());
      try (IndexWriter w = new IndexWriter(dir, cfg)) {
        for (Exemplar e : exemplars) {
          Document d = new Document();
          d.add(new StringField(F_ID, e.id(), Field.Store.YES));
          d.add(new StringField(F_LABEL, e.label().id(), Field.Store.YES));
          d.add(new TextField(F_ANSWER, e.answer(), Field.Store.YES));
          d.add(new TextField(F_QUESTION, e.question(), Field.Store.NO));
          d.add(new TextField(F_QA, e.question() + "\n" + e.answer(), Field.Store.NO));
          d.add(new StoredField("note", e.note()));
          w.addDocument(d);
        }
      }
      reader = DirectoryReader.open(dir);
      searcher = new IndexSearcher(reader);
      searcher.setSimilarity(new BM25Similarity());
      // no caching of filter clauses: the index is tiny and queries are all different
      searcher.setQueryCache(null);
      size = exemplars.size();
      ids = new String[reader.maxDoc()];
      labels = new BiasCategory[reader.maxDoc()];
      answers = new String[reader.maxDoc()];
      var stored = reader.storedFields();
      for (int d = 0; d < reader.maxDoc(); d++) {
        Document doc = stored.document(d);
        ids[d] = doc.get(F_ID);
        labels[d] = BiasCategory.fromId(doc.get(F_LABEL));
        answers[d] = doc.get(F_ANSWER);
      }
      for (String field : java.util.List.of(F_ANSWER, F_QUESTION, F_QA)) {
        java.util.Map<String, org.apache.lucene.index.TermStates> m = new java.util.HashMap<>();
        org.apache.lucene.index.Terms terms = org.apache.lucene.index.MultiTerms.getTerms(reader, field);
        if (terms != null) {
          org.apache.lucene.index.TermsEnum te = terms.iterator();
          org.apache.lucene.util.BytesRef br;
          while ((br = te.next()) != null) {
            Term t = new Term(field, org.apache.lucene.util.BytesRef.deepCopyOf(br));
            m.put(t.text(), org.apache.lucene.index.TermStates.build(searcher, t, true));
          }
        }
        vocab.put(field, m);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the in-memory exemplar index", e);
    }
  }

  public int size() {
    return size;
  }

  /**
   * The {@code k} exemplars whose {@code field} is nearest to {@code text} by BM25.
   *
   * @param excludeIds exemplars to leave out (leave-one-out features for training)
   * @param biasedOnly only exemplars with one of the four bias labels
   */
  public List<Hit> search(String field, String text, int k, Set<String> excludeIds, boolean biasedOnly) {
    List<String> terms = analyze(field, text);
    List<Hit> out = new ArrayList<>();
    if (terms.isEmpty()) {
      return out;
    }
    BooleanQuery.Builder q = new BooleanQuery.Builder();
    java.util.Map<String, org.apache.lucene.index.TermStates> known = vocab.getOrDefault(field, java.util.Map.of());
    int used = 0;
    for (String t : terms) {
      org.apache.lucene.index.TermStates st = known.get(t);
      if (st != null) {
        q.add(new TermQuery(new Term(field, t), st), Occur.SHOULD);
        used++;
      }
    }
    if (used == 0) {
      return out;
    }
    for (String id : excludeIds) {
      q.add(new TermQuery(new Term(F_ID, id)), Occur.MUST_NOT);
    }
    if (biasedOnly) {
      q.add(new TermQuery(new Term(F_LABEL, BiasCategory.NONE.id())), Occur.MUST_NOT);
    }
    try {
      TopDocs top = searcher.search(q.build(), k);
      for (ScoreDoc sd : top.scoreDocs) {
        out.add(new Hit(ids[sd.doc], labels[sd.doc], sd.score, answers[sd.doc]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The distinct analyzed terms of {@code text}, at most {@link #MAX_QUERY_TERMS}. */
  List<String> analyze(String field, String text) {
    Set<String> terms = new LinkedHashSet<>();
    try (TokenStream ts = analyzer.tokenStream(field, text)) {
      CharTermAttribute att = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken() && terms.size() < MAX_QUERY_TERMS) {
        terms.add(att.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ArrayList<>(terms);
  }

  @Override
  public void close() throws IOException {
    reader.close();
    dir.close();
    analyzer.close();
  }
}

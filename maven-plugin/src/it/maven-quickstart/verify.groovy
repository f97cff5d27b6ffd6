// What `mvn verify` of examples/maven-quickstart must leave behind: a real data set, two real
// training runs and a real evaluation, with values (not just files), and progress in the log.
import groovy.json.JsonSlurper

def ga = new File(basedir, 'target/genderalign')
def json = new JsonSlurper()
def lines = { File f -> f.readLines().findAll { it.trim() } }

// build-dataset: 60 pairs split 9:1, the card, the stats agreeing with the files
def ds = new File(ga, 'dataset')
def train = lines(new File(ds, 'train.jsonl'))
def test = lines(new File(ds, 'test.jsonl'))
assert train.size() + test.size() == 60 : "pairs: ${train.size()} + ${test.size()}"
assert test.size() >= 1 && train.size() > test.size()
train.each { l ->
  def p = json.parseText(l)
  assert p.prompt && p.chosen && p.rejected && p.chosen != p.rejected
}
def stats = json.parseText(new File(ds, 'stats.json').text)
assert stats.toString().contains('60') : 'stats.json does not count the 60 pairs'
assert new File(ds, 'README.md').text.length() > 200 : 'no dataset card'

// train sft and dpo: 4 steps each, finite losses in the metrics, a loadable final model
['sft', 'dpo'].each { run ->
  def dir = new File(ga, run)
  def recs = lines(new File(dir, 'metrics.jsonl')).collect { json.parseText(it) }
  def trainRecs = recs.findAll { it.loss != null }
  assert trainRecs*.step.contains(4) : "$run: no step 4 record in metrics.jsonl: ${recs*.step}"
  trainRecs.each { r ->
    assert r.loss instanceof Number && !Double.isNaN(r.loss as double) && (r.loss as double) > 0
  }
  assert new File(dir, 'final').isDirectory() && new File(dir, 'final').list().length > 0 : "$run: no final model"
}
def dpoRecs = lines(new File(ga, 'dpo/metrics.jsonl')).collect { json.parseText(it) }
def dpoLast = dpoRecs.findAll { it.loss != null }.last()
['rewards/accuracies', 'rewards/margins', 'rewards/chosen', 'rewards/rejected'].each { k ->
  assert dpoLast.containsKey(k) : "dpo metrics lack $k: ${dpoLast.keySet()}"
}
// 10% of the training pairs were held out and evaluated at the end
assert dpoRecs.any { it.eval_loss != null } : 'dpo: no eval record'

// evaluate: both benchmarks, all three models, DPO compared against SFT, the reports
def ev = new File(ga, 'eval')
def res = json.parseText(new File(ev, 'results.json').text)
assert res.baseline == 'sft'
assert res.models*.name == ['base', 'sft', 'dpo']
def byName = res.benchmarks.collectEntries { [(it.name): it] }
assert byName.keySet() == ['crows-pairs-gender', 'preference'] as Set : byName.keySet()
byName.each { name, b ->
  assert b.results.keySet() == ['base', 'sft', 'dpo'] as Set : "$name: ${b.results.keySet()}"
  b.results.each { model, r ->
    assert !r.metrics.isEmpty() : "$name/$model: no metrics"
    r.metrics.each { metric, est ->
      if (est?.value != null) {
        assert est.value instanceof Number : "$name/$model/$metric: ${est.value}"
      }
    }
  }
  assert b.comparisons?.containsKey('dpo') : "$name: no dpo-vs-sft comparison: ${b.comparisons?.keySet()}"
}
// preference ran on the built test split: as many items as test.jsonl holds (limit 16)
def pref = byName['preference']
assert pref.toString().contains('built') : 'preference did not use the built test split'
assert new File(ev, 'report.html').text.contains('crows-pairs-gender')
assert new File(ev, 'report.md').text.contains('preference')

// progress went to the Maven log
def log = new File(basedir, 'build.log').text
assert log.contains('[INFO] built 60 pairs (train ')
assert log =~ /\[INFO\] step 2 .*loss/
assert log.contains('trained 4 steps on ')
assert log.contains('results: ')
return true

// The train goal failed on line 2 of pairs.jsonl with the library's one-line message, as the CLI
// prints it after "error: ", and before any training started.
def log = new File(basedir, 'build.log').text
def failed = log.readLines().find { it.contains('Failed to execute goal org.genderalign:genderalign-maven-plugin') }
assert failed != null : 'no goal failure in build.log'
assert failed.contains('train (dpo)') : failed
// the library's InvalidInputException line, as the CLI prints it after "error: "
assert failed.contains('on project bad-input: pairs.jsonl line 2: invalid JSON') : "not the CLI's line: $failed"
// one line: Maven's "-> [Help 1]" follows it on the same line
assert failed.endsWith('-> [Help 1]') : "the message spans lines: $failed"
assert !log.contains('trained ') : 'training ran despite the bad input'
assert !new File(basedir, 'target/genderalign/train/metrics.jsonl').exists()
return true

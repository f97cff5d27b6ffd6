package org.genderalign.cli.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.genderalign.cli.BadUsageException;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.format.Formats;
import org.genderalign.core.format.RecordFormat;
import org.genderalign.core.format.RecordReader;
import org.genderalign.core.format.RecordWriter;
import org.genderalign.core.io.AtomicFiles;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.data.PromptTemplate;
import org.genderalign.trainer.device.Devices;
import org.genderalign.trainer.reward.RewardModel;
import org.genderalign.trainer.reward.RewardScorer;

/**
 * The {@code --reward-model} path of {@code genderalign score}: adds {@code chosen_reward} and
 * {@code rejected_reward} to every pair ({@link RewardScorer}, with the template and maximum
 * length the reward model was trained with unless {@code --template} / {@code --max-length} are
 * given); pairs longer than the maximum length are scored on their first tokens and marked
 * {@code reward_truncated}. Output goes to {@code OUT.partial} and is renamed at the end;
 * {@code --resume} keeps the pairs already scored; {@code OUT.provenance.json} names the model
 * and its weights' sha256.
 */
final class RewardScoring {

  private final ScoreCommand cmd;

  RewardScoring(ScoreCommand cmd) {
    this.cmd = cmd;
  }

  Integer call() throws Exception {
    if (cmd.modelChoice.model != null) {
      throw new BadUsageException("give --model (log-likelihoods) or --reward-model (rewards), not both");
    }
    RecordFormat<PreferencePair> fmt;
    Device device;
    DataType type;
    try {
      fmt = Formats.pairs(cmd.format);
      device = Devices.parse(cmd.modelChoice.device);
      type = Devices.parseType(cmd.modelChoice.dtype, device);
    } catch (IllegalArgumentException e) {
      throw new BadUsageException(e.getMessage());
    }
    if (cmd.batchSize < 1) {
      throw new BadUsageException("--batch-size must be at least 1");
    }
    if (!Files.isRegularFile(cmd.in)) {
      throw new NoSuchFileException(cmd.in.toString());
    }
    if (!RewardModel.isRewardModelFolder(cmd.rewardModel)) {
      throw new BadUsageException("--reward-model " + cmd.rewardModel + " is not a reward model folder (a Hugging "
          + "Face LlamaForSequenceClassification, e.g. the final/ folder of train reward)");
    }
    var parsed = cmd.spec.commandLine().getParseResult();
    PrintWriter err = cmd.spec.commandLine().getErr();
    java.nio.file.Path out = cmd.out;
    java.nio.file.Path partial = out.resolveSibling(out.getFileName() + ".partial");
    try (RewardModel rm = RewardModel.load(cmd.rewardModel, device, type)) {
      RewardScorer scorer = RewardScorer.of(rm, cmd.batchSize);
      if (parsed.hasMatchedOption("--template") || parsed.hasMatchedOption("--max-length")) {
        int ctx = rm.block().config().maxSeqLen();
        int maxLen = cmd.maxLength != null ? cmd.maxLength : scorer.maxLength();
        if (maxLen < 2 || maxLen > ctx) {
          throw new BadUsageException("--max-length must be in [2, " + ctx + "] for this model");
        }
        String tpl = parsed.hasMatchedOption("--template") ? cmd.template
            : rm.encoding().promptTemplate() != null ? rm.encoding().promptTemplate() : PromptTemplate.RAW;
        try {
          scorer = new RewardScorer(rm, tpl, maxLen, cmd.batchSize);
        } catch (IllegalArgumentException e) {
          throw new BadUsageException(e.getMessage());
        }
      }
      List<PreferencePair> kept = cmd.resume ? previous(fmt, partial) : List.of();
      Set<String> done = new HashSet<>();
      kept.forEach(p -> done.add(p.id()));
      int scored = 0;
      int truncated = 0;
      try (RecordReader<PreferencePair> reader = fmt.reader(cmd.in);
          RecordWriter<PreferencePair> writer = fmt.writer(partial)) {
        for (PreferencePair p : kept) {
          writer.write(p);
        }
        List<PreferencePair> chunk = new ArrayList<>();
        for (PreferencePair p; (p = reader.next()) != null; ) {
          if (done.contains(p.id())) {
            continue;
          }
          chunk.add(p);
          if (chunk.size() == ScoreCommand.CHUNK) {
            truncated += flush(chunk, scorer, writer);
            scored += chunk.size();
            chunk.clear();
          }
        }
        truncated += flush(chunk, scorer, writer);
        scored += chunk.size();
      }
      Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Map<String, Object> cfg = new LinkedHashMap<>();
      cfg.put("rewardModel", cmd.rewardModel.toString());
      cfg.put("format", cmd.format);
      cfg.put("template", scorer.template());
      cfg.put("maxLength", scorer.maxLength());
      cfg.put("batchSize", cmd.batchSize);
      cfg.put("padTokenId", rm.padTokenId());
      cfg.put("reward", "score head on the final hidden state of the last non-pad token, float32");
      Provenance prov = Provenance.of("score --reward-model", cfg, null)
          .withInput(cmd.in.getFileName().toString(), cmd.in)
          .withInputHash("reward-model:model.safetensors", RewardModel.weightsSha256(cmd.rewardModel));
      AtomicFiles.writeString(out.resolveSibling(out.getFileName() + ".provenance.json"),
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(prov));
      err.printf("scored %d pairs with the reward model (%d resumed), %d truncated to %d tokens%n",
          scored + kept.size(), kept.size(), truncated, scorer.maxLength());
      err.flush();
    }
    return 0;
  }

  private static List<PreferencePair> previous(RecordFormat<PreferencePair> fmt, java.nio.file.Path partial)
      throws IOException {
    List<PreferencePair> kept = new ArrayList<>();
    if (!Files.isRegularFile(partial)) {
      return kept;
    }
    try (RecordReader<PreferencePair> r = fmt.reader(partial)) {
      while (true) {
        PreferencePair p;
        try {
          p = r.next();
        } catch (InvalidInputException e) {
          if (!e.recoverable()) {
            break;
          }
          continue; // a line cut short by the interruption: scored again
        }
        if (p == null) {
          break;
        }
        kept.add(p);
      }
    }
    return kept;
  }

  /** Scores and writes a chunk; returns how many of its pairs were truncated. */
  private static int flush(List<PreferencePair> chunk, RewardScorer scorer, RecordWriter<PreferencePair> writer)
      throws IOException {
    if (chunk.isEmpty()) {
      return 0;
    }
    int truncated = 0;
    List<RewardScorer.PairReward> rewards = scorer.scorePairs(chunk);
    for (int i = 0; i < chunk.size(); i++) {
      RewardScorer.PairReward r = rewards.get(i);
      PreferencePair p = chunk.get(i).withMetadata("chosen_reward", r.chosen())
          .withMetadata("rejected_reward", r.rejected());
      if (r.truncated()) {
        p = p.withMetadata("reward_truncated", true);
        truncated++;
      }
      writer.write(p);
    }
    return truncated;
  }
}
